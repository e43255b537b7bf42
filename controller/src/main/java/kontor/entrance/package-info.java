/** The entrance: its strike by the opening hours, who may open it out of hours, and the people counted through it. */
package kontor.entrance;
