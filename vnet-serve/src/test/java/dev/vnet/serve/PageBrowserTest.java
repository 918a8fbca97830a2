package dev.vnet.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vnet.io.ImageFiles;
import dev.vnet.train.Segmenter;
import dev.vnet.train.detect.DetectedCell;
import dev.vnet.train.detect.HeatMapDetector;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real browser: a synthetic smear chosen in the file input is uploaded, its cells appear numbered over
 * it (as many as the library finds), a cell shows its score on hover, the threshold slider (moved with the keyboard)
 * re-filters the cells without a request, the heat-map can be shown, the downloads are served, and a phone-sized
 * window needs no sideways scrolling.
 */
class PageBrowserTest {
    @TempDir
    Path dir;

    @Test
    void aDroppedSmearShowsItsNumberedCellsAndTheSliderRefiltersThem() throws Exception {
        Path smear = ServeFixtures.smear(dir.resolve("smear.png"), ServeFixtures.WIDTH, ServeFixtures.HEIGHT, 5);
        Path model = ServeFixtures.detector(dir.resolve("tiny.safetensors"), smear);
        Segmenter.Result expected = Segmenter.load(model).segment(ImageFiles.read(smear));
        var checkpoint = dev.vnet.train.Checkpoint.load(model);
        List<DetectedCell> candidates = new HeatMapDetector(checkpoint.model(), checkpoint.config().detection())
                .candidates(ImageFiles.read(smear));
        assertThat(expected.count()).isGreaterThan(1);

        try (BlastServer server = BlastServer.start(model, ServeSettings.defaults().withAddress("127.0.0.1", 0))) {
            ChromeDriver browser = Chromium.open(dir.resolve("profile"), 1200, 900);
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                browser.get(server.url());
                wait.until(b -> b.findElement(By.id("model")).getText().startsWith("Model " + server.modelId()));
                browser.findElement(By.id("files")).sendKeys(smear.toAbsolutePath().toString());

                wait.until(b -> b.findElement(By.id("viewer")).isDisplayed()
                        && b.findElements(By.cssSelector("#overlay g.cell")).size() == expected.count());
                List<WebElement> cells = browser.findElements(By.cssSelector("#overlay g.cell"));
                for (int i = 0; i < cells.size(); i++) {
                    assertThat(cells.get(i).findElement(By.tagName("text")).getText()).isEqualTo(Integer.toString(i + 1));
                }
                assertThat(count(browser)).isEqualTo(expected.count());
                assertThat(browser.findElement(By.cssSelector("#table tbody tr")).getText()).contains("smear.png", "done",
                        Integer.toString(expected.count()));
                assertThat(browser.findElement(By.id("call")).getText()).containsAnyOf("ALL", "healthy");

                // Hover: the last cell is drawn on top of any it overlaps.
                int last = cells.size() - 1;
                new Actions(browser).moveToElement(cells.get(last).findElement(By.tagName("circle"))).perform();
                wait.until(b -> b.findElement(By.id("tip")).isDisplayed());
                assertThat(browser.findElement(By.id("tip")).getText()).isEqualTo(String.format(Locale.ROOT,
                        "Cell %d: score %.2f", last + 1, expected.cells().get(last).score()));
                // Keyboard: a cell takes the focus and shows its score the same way.
                browser.executeScript("arguments[0].focus();", cells.get(0));
                wait.until(b -> b.findElement(By.id("tip")).getText().startsWith("Cell 1:"));
                assertThat(browser.findElement(By.id("tip")).getText()).isEqualTo(String.format(Locale.ROOT,
                        "Cell 1: score %.2f", expected.cells().get(0).score()));

                WebElement slider = browser.findElement(By.id("threshold"));
                slider.sendKeys(Keys.END);
                double top = Double.parseDouble(slider.getDomProperty("value"));
                long atTop = candidates.stream().filter(c -> c.score() >= top).count();
                wait.until(b -> count(b) == atTop);
                assertThat(browser.findElements(By.cssSelector("#overlay g.cell"))).hasSize((int) atTop);
                slider.sendKeys(Keys.HOME);
                double bottom = Double.parseDouble(slider.getDomProperty("value"));
                long atBottom = candidates.stream().filter(c -> c.score() >= bottom).count();
                wait.until(b -> count(b) == atBottom);
                assertThat(atBottom).as("the slider changes the count").isNotEqualTo(atTop);
                assertThat(atBottom).isGreaterThan(expected.count());

                browser.findElement(By.id("heatmap")).click();
                wait.until(b -> (Boolean) ((JavascriptExecutor) b).executeScript(
                        "const h = document.getElementById('heat'); return !h.hidden && h.complete && h.naturalWidth > 0;"));

                HttpClient http = HttpClient.newHttpClient();
                for (String[] link : new String[][] {{"dl-mask", "image/png"}, {"dl-xyc", "text/plain"},
                        {"dl-csv", "text/csv"}, {"dl-geojson", "application/geo+json"}, {"dl-overlay", "image/png"}}) {
                    String href = browser.findElement(By.id(link[0])).getDomProperty("href");
                    assertThat(href).as(link[0]).startsWith(server.url()).contains("threshold=");
                    HttpResponse<byte[]> r = ServeFixtures.get(http, href);
                    assertThat(r.statusCode()).as(href).isEqualTo(200);
                    assertThat(r.headers().firstValue("Content-Type").orElse("")).as(href).startsWith(link[1]);
                    assertThat(r.body()).as(href).isNotEmpty();
                }
                String csv = new String(ServeFixtures.get(http, browser.findElement(By.id("dl-csv")).getDomProperty("href"))
                        .body(), java.nio.charset.StandardCharsets.UTF_8);
                assertThat(csv.lines().count() - 1).as("the CSV at the slider's threshold").isEqualTo(atBottom);

                browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
                Number overflow = (Number) browser.executeScript(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
                assertThat(overflow.intValue()).as("sideways scrolling on a phone-sized window").isLessThanOrEqualTo(0);
            } finally {
                browser.quit();
            }
        }
    }

    /** The number the page shows as the count. */
    private static long count(org.openqa.selenium.WebDriver browser) {
        String text = browser.findElement(By.id("count")).getText();
        return text.isEmpty() ? -1 : Long.parseLong(text.split(" ")[0]);
    }
}
