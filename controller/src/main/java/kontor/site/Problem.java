package kontor.site;

/** One thing wrong with a site file, at a line, under a field path such as {@code devices[3].lock.gpio}. */
public record Problem(String file, int line, String path, String message) {
    @Override
    public String toString() {
        return file + ":" + line + ": " + path + ": " + message;
    }
}
