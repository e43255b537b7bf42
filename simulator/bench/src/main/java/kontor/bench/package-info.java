/** {@code kontor bench}: the figures that show how fast and how light Kontor is, one JSON line each. */
package kontor.bench;
