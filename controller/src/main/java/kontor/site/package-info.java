/** The site file: one YAML file describing a site, read once into immutable, checked records. */
package kontor.site;
