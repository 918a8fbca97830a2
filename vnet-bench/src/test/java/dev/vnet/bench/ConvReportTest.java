package dev.vnet.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.train.bench.Machine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PyTorch's timings are read only when torch_conv.py measured them on this machine. */
class ConvReportTest {

    private static String machineJson(String cpu, String host) {
        return "\"machine\": {\"cpu_model\": \"" + cpu + "\", \"processors\": 2, \"host\": \"" + host + "\"}";
    }

    @Test
    void timingsOfThisMachineAreReadAndOthersRefused(@TempDir Path dir) throws Exception {
        Machine here = Machine.current();
        Path same = Files.writeString(dir.resolve("same.json"), "{" + machineJson(here.cpuModel(), here.host())
                + ", \"forward/conv5x5_32x128\": 12.5, \"backward/conv5x5_32x128\": 30}");
        assertThat(ConvReport.readTorch(same, "wall")).containsOnlyKeys("forward/conv5x5_32x128", "backward/conv5x5_32x128")
                .containsEntry("forward/conv5x5_32x128", 12.5);

        Path other = Files.writeString(dir.resolve("other.json"), "{" + machineJson("Intel(R) Xeon(R) Platinum 8488C",
                here.host()) + ", \"forward/conv5x5_32x128\": 9.0}");
        assertThatThrownBy(() -> ConvReport.readTorch(other, "wall")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("other.json was measured on another machine")
                .hasMessageContaining("Intel(R) Xeon(R) Platinum 8488C").hasMessageContaining(here.cpuModel());

        Path otherHost = Files.writeString(dir.resolve("host.json"), "{" + machineJson(here.cpuModel(), here.host()
                + "-other") + "}");
        assertThatThrownBy(() -> ConvReport.readTorch(otherHost, "wall")).hasMessageContaining("another machine");

        Path old = Files.writeString(dir.resolve("old.json"), "{\"forward/conv5x5_32x128\": 9.0}");
        assertThatThrownBy(() -> ConvReport.readTorch(old, "wall")).hasMessageContaining("old.json names no machine");
    }

    @Test
    void timesOfTheOtherClockAreRefused(@TempDir Path dir) throws Exception {
        Machine here = Machine.current();
        Path cpu = Files.writeString(dir.resolve("cpu.json"), "{" + machineJson(here.cpuModel(), here.host())
                + ", \"clock\": \"thread CPU\", \"forward/conv5x5_32x128\": 40.5}");
        assertThat(ConvReport.readTorch(cpu, "thread CPU")).containsOnlyKeys("forward/conv5x5_32x128");
        assertThatThrownBy(() -> ConvReport.readTorch(cpu, "wall"))
                .hasMessageContaining("cpu.json holds thread CPU times, expected wall times")
                .hasMessageContaining("without --cpu");
        Path wall = Files.writeString(dir.resolve("wall.json"), "{" + machineJson(here.cpuModel(), here.host())
                + ", \"forward/conv5x5_32x128\": 20.5}");
        assertThatThrownBy(() -> ConvReport.readTorch(wall, "thread CPU"))
                .hasMessageContaining("holds wall times, expected thread CPU times").hasMessageContaining("--cpu");
    }
}
