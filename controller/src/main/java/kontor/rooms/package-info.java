/** Meeting rooms: bookings and their rules, check-in and on-the-spot booking at the door, release, presence, light and room state. */
package kontor.rooms;
