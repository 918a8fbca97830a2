package dev.vnet.serve;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium under Selenium, from Debian's {@code chromium} and {@code chromium-driver} packages: the driver
 * is named explicitly, so Selenium never tries to download one, and the browser starts with a fresh profile and
 * without any of its own network traffic.
 */
final class Chromium {
    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Chromium() {}

    /**
     * {@return a headless browser with a window of {@code width × height} CSS pixels}
     *
     * @param profile an empty folder for the browser's profile
     * @throws AssertionError naming the packages to install when the browser or its driver is missing
     */
    static ChromeDriver open(Path profile, int width, int height) throws IOException {
        if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
            throw new AssertionError("the browser test needs Chromium and its driver at " + BROWSER + " and " + DRIVER
                    + ": install them with `apt-get update && apt-get install -y chromium chromium-driver`");
        }
        Files.createDirectories(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile.toAbsolutePath(),
                "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(60))
                .build();
        return new ChromeDriver(service, options);
    }
}
