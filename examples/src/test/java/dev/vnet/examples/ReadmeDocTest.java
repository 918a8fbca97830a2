package dev.vnet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vnet.io.allidb.AllIdb1Dataset;
import dev.vnet.train.Segmenter;
import dev.vnet.train.TrainConfig;
import dev.vnet.train.TrainResult;
import dev.vnet.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The README's Java is code of this file, so it compiles against the API: every {@code java} block of the README
 * must appear here line for line (indentation aside), in {@link #readmeEmbedding}.
 */
class ReadmeDocTest {
    private static final Path SOURCE = Path.of("examples/src/test/java/dev/vnet/examples/ReadmeDocTest.java");

    @Test
    void everyJavaBlockOfTheReadmeIsCodeOfThisTest() {
        List<String> source = stripped(RepoDocs.read(RepoDocs.root().resolve(SOURCE)).lines().toList());
        List<RepoDocs.Block> java = RepoDocs.blocks(RepoDocs.read(RepoDocs.root().resolve("README.md"))).stream()
                .filter(b -> b.info().equals("java")).toList();
        assertThat(java).as("java blocks in README.md").isNotEmpty();
        for (RepoDocs.Block block : java) {
            assertThat(Collections.indexOfSubList(source, stripped(block.lines())))
                    .as("quoted in README.md but not in %s:%n%s", SOURCE, String.join("\n", block.lines()))
                    .isNotNegative();
        }
    }

    /** The README's embedding example: training on a folder in the ALL-IDB1 layout, then segmenting an image. */
    static void readmeEmbedding(Path dataFolder, Path runFolder, Path imageFile) throws IOException {
        TrainResult result = Trainer.builder(TrainConfig.paper(), AllIdb1Dataset.scan(dataFolder), runFolder)
                .build()
                .run();

        Segmenter segmenter = Segmenter.load(result.bestCheckpoint());
        Segmenter.Result blasts = segmenter.segment(ImageIO.read(imageFile.toFile()));
        System.out.println(blasts.count() + " blast cells at " + blasts.centres());
    }

    private static List<String> stripped(List<String> lines) {
        return lines.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
