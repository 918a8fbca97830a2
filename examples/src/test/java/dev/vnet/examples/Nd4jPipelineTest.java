package dev.vnet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The ND4J pipeline example trains from ND4J arrays and scores its predictions in ND4J. */
class Nd4jPipelineTest {
    @Test
    void trainsFromNd4jArraysAndReadsPredictionsBack() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            Nd4jPipeline.main(new String[0]);
        } finally {
            System.setOut(saved);
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        Matcher fell = Pattern.compile("loss fell from ([0-9.]+) to ([0-9.]+)").matcher(text);
        assertThat(fell.find()).as(text).isTrue();
        assertThat(Double.parseDouble(fell.group(2))).isLessThan(Double.parseDouble(fell.group(1)));
        Matcher dice = Pattern.compile("held-out predictions \\[4, 1, 32, 32\\], Dice ([0-9.]+)").matcher(text);
        assertThat(dice.find()).as(text).isTrue();
        // six short epochs on 16 images: the discs are found, if not yet to the pixel
        assertThat(Double.parseDouble(dice.group(1))).as(text).isGreaterThan(0.3);
    }
}
