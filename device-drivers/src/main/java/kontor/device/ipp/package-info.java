/** The network printer driver: IPP Get-Printer-Attributes over HTTP with jipp, polled on a schedule. */
package kontor.device.ipp;
