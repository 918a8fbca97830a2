package dev.vnet.serve;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Writes the screenshot of the page that docs/server.md shows: a server on a free port with a checkpoint, the page
 * in headless Chromium, photographs chosen in its file input, the first one's cells drawn. Run by
 * {@code tools/serve-screenshot.sh}.
 */
final class PageScreenshot {
    private PageScreenshot() {}

    /**
     * Takes the screenshot.
     *
     * @param args the checkpoint, the PNG to write, then one or more photographs
     * @throws Exception if the server, the browser or a file fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: PageScreenshot CHECKPOINT OUT.png IMAGE...");
            System.exit(2);
        }
        Path model = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Path profile = Files.createTempDirectory("vnet-screenshot-");
        try (BlastServer server = BlastServer.start(model, ServeSettings.defaults().withAddress("127.0.0.1", 0))) {
            ChromeDriver browser = Chromium.open(profile, 1100, 1400);
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofMinutes(5));
                browser.get(server.url());
                wait.until(b -> b.findElement(By.id("model")).getText().startsWith("Model "));
                StringBuilder files = new StringBuilder();
                for (int i = 2; i < args.length; i++) {
                    files.append(i > 2 ? "\n" : "").append(Path.of(args[i]).toAbsolutePath());
                }
                browser.findElement(By.id("files")).sendKeys(files.toString());
                int n = args.length - 2;
                wait.until(b -> b.findElements(By.cssSelector("#table tbody tr")).stream()
                        .allMatch(r -> r.getText().contains("done")) && b.findElements(By.cssSelector("#table tbody tr"))
                        .size() == n);
                browser.findElement(By.cssSelector("#table tbody tr button")).click();
                browser.findElement(By.id("heatmap")).click();
                browser.findElement(By.id("heatmap")).click();
                Thread.sleep(500);
                Files.write(out, browser.getScreenshotAs(OutputType.BYTES));
                System.out.println("wrote " + out);
            } finally {
                browser.quit();
            }
        }
    }
}
