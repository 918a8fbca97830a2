package dev.vnet.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a run was made from: the data files' names (relative to the data folder), sizes and SHA-256 hashes, so
 * that resuming a run on other data is refused, naming the first difference.
 *
 * <p>Text form (one line per file, sorted by name, {@code /} as the separator on every platform):
 * {@code <sha256 hex>  <size in bytes>  <relative path>}.
 *
 * @param files every file by its relative path
 */
public record DataFingerprint(Map<String, Entry> files) {
    /**
     * One file.
     *
     * @param size   its size in bytes
     * @param sha256 the SHA-256 of its content, 64 lower-case hex digits
     */
    public record Entry(long size, String sha256) {}

    /**
     * Sorts and copies the map.
     *
     * @param files every file by its relative path
     */
    public DataFingerprint {
        files = Collections.unmodifiableMap(new TreeMap<>(files));
    }

    /**
     * Hashes {@code files}, naming each by its path relative to {@code root}.
     *
     * @param root  the data folder
     * @param files the files of the data set, inside {@code root}
     * @return the fingerprint
     * @throws IOException naming a file that cannot be read
     */
    public static DataFingerprint of(Path root, List<Path> files) throws IOException {
        Map<String, Entry> m = new LinkedHashMap<>();
        Path base = root.toAbsolutePath().normalize();
        byte[] buf = new byte[1 << 16];
        for (Path f : files) {
            Path abs = f.toAbsolutePath().normalize();
            String name = (abs.startsWith(base) ? base.relativize(abs) : abs).toString().replace('\\', '/');
            MessageDigest sha = sha256();
            long size = 0;
            try (InputStream in = Files.newInputStream(abs)) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    sha.update(buf, 0, n);
                    size += n;
                }
            } catch (IOException e) {
                throw new IOException(f + ": cannot read it to record the data of the run: " + e.getMessage(), e);
            }
            m.put(name, new Entry(size, HexFormat.of().formatHex(sha.digest())));
        }
        return new DataFingerprint(m);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** {@return the text form: one line per file, sorted} */
    public String toText() {
        StringBuilder b = new StringBuilder();
        files.forEach((name, e) -> b.append(e.sha256()).append("  ").append(e.size()).append("  ").append(name)
                .append('\n'));
        return b.toString();
    }

    /**
     * Reads the text form.
     *
     * @param text   what {@link #toText()} wrote
     * @param source names the text in errors, e.g. the file it came from
     * @return the fingerprint
     * @throws IOException naming the source and the line if a line is not {@code sha256  size  path}
     */
    public static DataFingerprint parse(String text, String source) throws IOException {
        Map<String, Entry> m = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("  ", 3);
            boolean ok = parts.length == 3 && parts[0].matches("[0-9a-f]{64}") && parts[1].matches("\\d{1,18}")
                    && !parts[2].isEmpty();
            if (!ok || m.put(parts[2], new Entry(Long.parseLong(parts[1]), parts[0])) != null) {
                throw new IOException(source + ":" + (i + 1) + ": expected '<sha256>  <size>  <path>' with each path"
                        + " once, got '" + (line.length() > 120 ? line.substring(0, 120) + "..." : line) + "'");
            }
        }
        return new DataFingerprint(m);
    }

    /**
     * {@return the first difference between the data recorded here and {@code now}, in name order, or empty if
     * they are the same: a file missing, a file added, or a file whose size or content changed}
     *
     * @param now the fingerprint of the data as they are now
     */
    public Optional<String> firstDifference(DataFingerprint now) {
        TreeSet<String> names = new TreeSet<>(files.keySet());
        names.addAll(now.files().keySet());
        for (String name : names) {
            Entry was = files.get(name);
            Entry is = now.files().get(name);
            if (was == null) {
                return Optional.of(name + " was not in the data the run was made from");
            }
            if (is == null) {
                return Optional.of(name + " is missing: the run was made from data that had it");
            }
            if (was.size() != is.size()) {
                return Optional.of(name + " has changed: " + is.size() + " bytes, the run's had " + was.size());
            }
            if (!was.sha256().equals(is.sha256())) {
                return Optional.of(name + " has changed: its content differs (SHA-256 " + is.sha256().substring(0, 12)
                        + "..., the run's " + was.sha256().substring(0, 12) + "...)");
            }
        }
        return Optional.empty();
    }
}
