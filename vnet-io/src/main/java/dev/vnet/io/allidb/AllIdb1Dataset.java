package dev.vnet.io.allidb;

import dev.vnet.io.ImageFiles;
import dev.vnet.io.XycFormatException;
import dev.vnet.io.XycParser;
import dev.vnet.ops.Point;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a copy of ALL-IDB1 as it ships: images {@code im/ImXXX_Y.jpg} and blast-cell centres
 * {@code xyc/ImXXX_Y.xyc}, where XXX is a 3-digit counter and Y is 1 for an image of an ALL patient (at least
 * one blast) and 0 for a healthy subject.
 *
 * <p>Layout: the given folder may itself hold {@code im/} and {@code xyc/}, or hold them one or two levels
 * further down (e.g. {@code ALL_IDB1/ALL_IDB1/im}); folder names match in any case. Image extensions
 * {@code .jpg} and {@code .jpeg} and the {@code .xyc} extension match in any case. Hidden files (names starting
 * with a dot) are skipped.
 *
 * <p>Checks, each reported as a {@link DatasetProblem} while the scan goes on: a file name not of the form
 * {@code ImXXX_Y.jpg} / {@code ImXXX_Y.xyc}; two files with the same id, or two images with the same counter;
 * an image without its coordinate file, or a coordinate file without its image (both names given); an image
 * whose header cannot be read; a coordinate file that does not parse ({@link XycParser}, with the line), or
 * holds a point outside its image; a {@code _1} image without coordinates; a {@code _0} image with
 * coordinates; an image whose header declares more pixels than the limit ({@link ImageFiles#checkPixels}); a
 * coordinate file with more than one centre per {@link #MAX_POINT_DENSITY} pixels of its image.
 * Each image's own size is read from its header (the JPEG is not decoded), never assumed; {@link DatasetCheck}
 * decodes every image in full.
 */
public final class AllIdb1Dataset {
    private static final Pattern IMAGE_NAME = Pattern.compile("(?i)(Im)(\\d{3})_([01])\\.(jpg|jpeg)");
    private static final Pattern XYC_NAME = Pattern.compile("(?i)(Im)(\\d{3})_([01])\\.xyc");

    /**
     * At most one blast centre per this many pixels: a blast is about 100 pixels across in ALL-IDB1 (2592×1944,
     * at most 32 centres), so a 16×16-pixel square per centre is already far beyond any real slide.
     */
    public static final int MAX_POINT_DENSITY = 16 * 16;

    private AllIdb1Dataset() {}

    /**
     * Scans an ALL-IDB1 folder.
     *
     * @param root the folder the user gave (the data may be up to two levels below it)
     * @return the good samples sorted by id, and every problem found
     * @throws IOException if no ALL-IDB1 layout is found under {@code root} or a folder cannot be listed
     */
    public static DatasetScan<AllIdb1Sample> scan(Path root) throws IOException {
        return scan(root, ImageFiles.maxPixels());
    }

    /**
     * Scans an ALL-IDB1 folder, reporting every image whose header declares more than {@code maxPixels} pixels.
     *
     * @param root      the folder the user gave (the data may be up to two levels below it)
     * @param maxPixels the most pixels (width × height) an image may have
     * @return the good samples sorted by id, and every problem found
     * @throws IOException if no ALL-IDB1 layout is found under {@code root} or a folder cannot be listed
     */
    public static DatasetScan<AllIdb1Sample> scan(Path root, long maxPixels) throws IOException {
        Path base = DatasetLayout.find(root, "im", "ALL_IDB1");
        Path imDir = DatasetLayout.child(base, "im").orElseThrow();
        Optional<Path> xycDirFound = DatasetLayout.child(base, "xyc");
        Path xycDir = xycDirFound.orElse(base.resolve("xyc"));
        List<DatasetProblem> problems = new ArrayList<>();
        if (xycDirFound.isEmpty()) {
            problems.add(new DatasetProblem(xycDir, -1, "the coordinate folder is missing: expected " + xycDir
                    + " next to " + imDir));
        }

        Map<String, Path> images = collect(imDir, IMAGE_NAME, "image", "ImXXX_Y.jpg (XXX three digits, Y 0 or 1)",
                problems);
        Map<String, Path> coordinates = xycDirFound.isPresent()
                ? collect(xycDir, XYC_NAME, "coordinate file", "ImXXX_Y.xyc (XXX three digits, Y 0 or 1)", problems)
                : new TreeMap<>();

        // The counter alone identifies an image: ImXXX_0 and ImXXX_1 together mean a mislabelled copy.
        Map<String, List<String>> byCounter = new HashMap<>();
        for (String key : images.keySet()) {
            byCounter.computeIfAbsent(key.substring(2, 5), c -> new ArrayList<>()).add(key);
        }
        List<String> clashing = new ArrayList<>();
        for (List<String> keys : byCounter.values()) {
            if (keys.size() > 1) {
                for (String k : keys) {
                    problems.add(new DatasetProblem(images.get(k), -1, "counter " + k.substring(2, 5)
                            + " is used by more than one image: " + keys.stream().map(images::get)
                            .map(p -> p.getFileName().toString()).toList()));
                    clashing.add(k);
                }
            }
        }

        List<AllIdb1Sample> samples = new ArrayList<>();
        for (Map.Entry<String, Path> e : images.entrySet()) {
            String key = e.getKey();
            Path image = e.getValue();
            Path xyc = coordinates.get(key);
            if (xyc == null) {
                if (xycDirFound.isPresent()) {
                    problems.add(new DatasetProblem(image, -1, "image " + image.getFileName()
                            + " has no coordinate file: expected " + xycDir.resolve(key + ".xyc")));
                }
                continue;
            }
            if (clashing.contains(key)) {
                continue;
            }
            sample(key, image, xyc, maxPixels, problems).ifPresent(samples::add);
        }
        for (Map.Entry<String, Path> e : coordinates.entrySet()) {
            if (!images.containsKey(e.getKey())) {
                problems.add(new DatasetProblem(e.getValue(), -1, "coordinate file " + e.getValue().getFileName()
                        + " has no image: expected " + imDir.resolve(e.getKey() + ".jpg")));
            }
        }
        samples.sort(Comparator.comparing(AllIdb1Sample::id));
        return new DatasetScan<>(base, samples, DatasetLayout.sorted(problems));
    }

    private static Optional<AllIdb1Sample> sample(String key, Path image, Path xyc, long maxPixels,
            List<DatasetProblem> problems) {
        Optional<ImageFiles.ImageSize> found = imageSize(image, maxPixels, problems);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ImageFiles.ImageSize size = found.get();
        List<Point> centres;
        try {
            centres = XycParser.read(xyc, size.width(), size.height());
        } catch (XycFormatException e) {
            problems.add(new DatasetProblem(xyc, e.line(), e.reason()
                    + (e.reason().contains("outside") ? " (image " + image.getFileName() + ")" : "")
                    + (e.text().isEmpty() ? "" : " (line text: '" + e.text() + "')")));
            return Optional.empty();
        } catch (IOException e) {
            problems.add(new DatasetProblem(xyc, -1, "cannot read the coordinate file: " + reason(xyc, e)));
            return Optional.empty();
        }
        long maxCentres = Math.max(1, size.pixels() / MAX_POINT_DENSITY);
        if (centres.size() > maxCentres) {
            problems.add(new DatasetProblem(xyc, -1, centres.size() + " blast centres for the " + size.width() + "×"
                    + size.height() + " image " + image.getFileName() + ": more than one per " + MAX_POINT_DENSITY
                    + " pixels (" + maxCentres + "), which no slide holds; expected a few dozen at most"));
            return Optional.empty();
        }
        boolean label = key.endsWith("_1");
        if (label && centres.isEmpty()) {
            problems.add(new DatasetProblem(xyc, -1, "image " + image.getFileName()
                    + " is labelled 1 (ALL) but its coordinate file holds no blast centre"));
            return Optional.empty();
        }
        if (!label && !centres.isEmpty()) {
            problems.add(new DatasetProblem(xyc, -1, "image " + image.getFileName()
                    + " is labelled 0 (healthy) but its coordinate file holds " + centres.size() + " blast centre"
                    + (centres.size() == 1 ? "" : "s")));
            return Optional.empty();
        }
        String id = stem(image);
        return Optional.of(new AllIdb1Sample(id, image, xyc, label, centres, size.width(), size.height()));
    }

    /**
     * Lists {@code dir}, keying files that match {@code pattern} by their canonical id ({@code ImXXX_Y}) and
     * reporting everything else.
     */
    static Map<String, Path> collect(Path dir, Pattern pattern, String what, String expected,
            List<DatasetProblem> problems) throws IOException {
        Map<String, Path> byKey = new TreeMap<>();
        for (Path p : DatasetLayout.entries(dir)) {
            String name = p.getFileName().toString();
            if (Files.isDirectory(p)) {
                problems.add(new DatasetProblem(p, -1, "unexpected folder inside " + dir + ": expected only files named "
                        + expected));
                continue;
            }
            Matcher m = pattern.matcher(name);
            if (!m.matches()) {
                problems.add(new DatasetProblem(p, -1, "name '" + name + "' does not match " + expected));
                continue;
            }
            String key = "Im" + m.group(2) + "_" + m.group(3);
            Path previous = byKey.putIfAbsent(key, p);
            if (previous != null) {
                problems.add(new DatasetProblem(p, -1, "another " + what + " has the same id " + key + ": "
                        + previous.getFileName()));
            }
        }
        return byKey;
    }

    /** The size an image's header declares, or a problem if it cannot be read or is over {@code maxPixels}. */
    static Optional<ImageFiles.ImageSize> imageSize(Path image, long maxPixels, List<DatasetProblem> problems) {
        ImageFiles.ImageSize size;
        try {
            size = ImageFiles.readSize(image);
        } catch (IOException e) {
            problems.add(new DatasetProblem(image, -1, "cannot read the image header: " + reason(image, e)));
            return Optional.empty();
        }
        try {
            ImageFiles.checkPixels(image, size, maxPixels);
        } catch (IOException e) {
            problems.add(new DatasetProblem(image, -1, reason(image, e)));
            return Optional.empty();
        }
        return Optional.of(size);
    }

    /** The exception's message without the file name it starts with (the problem names the file already). */
    static String reason(Path file, IOException e) {
        String m = String.valueOf(e.getMessage());
        String prefix = file + ": ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    static String stem(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }
}
