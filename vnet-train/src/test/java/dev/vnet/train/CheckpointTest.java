package dev.vnet.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vnet.io.AtomicFiles;
import dev.vnet.io.AtomicFolder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @Test
    void aCheckpointWrittenAsPartOfAnAtomicUnitIsTheSameFileSaveWrites(@TempDir Path dir) throws Exception {
        Path seeds = Path.of(CheckpointTest.class.getResource("CheckpointFuzzTestInputs/load").toURI());
        Checkpoint c = Checkpoint.load(seeds.resolve("valid_tiny"));
        Path single = dir.resolve("single.safetensors");
        Checkpoint.save(single, c.model(), c.config(), c.epoch(), c.step(), 0.5);

        Map<String, AtomicFiles.ContentWriter> unit = new LinkedHashMap<>();
        unit.put("last.safetensors", out -> Checkpoint.writeTo(out, c.model(), c.config(), c.epoch(), c.step(), 0.5));
        unit.put("run.json", out -> out.write("{\"epoch\":3}".getBytes(StandardCharsets.UTF_8)));
        Path folder = dir.resolve("last");
        AtomicFolder.write(folder, unit);

        assertThat(Files.readAllBytes(folder.resolve("last.safetensors"))).isEqualTo(Files.readAllBytes(single));
        Checkpoint back = Checkpoint.load(folder.resolve("last.safetensors"));
        assertThat(back.epoch()).isEqualTo(3);
        assertThat(back.step()).isEqualTo(c.step());
        assertThat(back.config()).isEqualTo(c.config());
    }
}
