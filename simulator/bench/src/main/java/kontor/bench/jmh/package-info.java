/** JMH micro-benchmarks of the hot paths (card check, journal append, event JSON), run by {@code kontor bench jmh}. */
package kontor.bench.jmh;
