/** The operator commands (docs/reference.md, "Commands"), one class per area, each registering its handlers. */
package kontor.commands;
