/** The operator commands of INTERFACES.md §4, one class per area, each registering its handlers. */
package kontor.commands;
