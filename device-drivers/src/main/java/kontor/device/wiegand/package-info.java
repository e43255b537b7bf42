/** The Wiegand card-reader protocol in pure Java: frame formats, a timing-checking decoder and an encoder. */
package kontor.device.wiegand;
