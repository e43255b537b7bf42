/** Network printers: read over IPP, watched for errors and low supplies, reported as device state and alarms. */
package kontor.printing;
