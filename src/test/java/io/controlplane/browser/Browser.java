package io.controlplane.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The system's headless Chromium driven through the system's chromedriver (nothing is downloaded), logged in to the
 * Camunda webapps as one demo user at a time. Collects the browser console so a test can fail on a JavaScript error.
 */
final class Browser implements AutoCloseable {
    static final String CHROMIUM = System.getProperty("browser.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");

    /**
     * Console noise the Camunda webapps produce on every visit, not errors of ours: the login page asks who is logged in
     * (404 before login) and the welcome-app link probe.
     */
    private static final List<Predicate<String>> CAMUNDA_NOISE = List.of(
            m -> m.contains("/camunda/api/admin/auth/user/default ") && m.contains("404"),
            m -> m.contains("/camunda-welcome ") && m.contains("404"),
            m -> m.contains("/favicon.ico ") && m.contains("404"));

    final ChromeDriver driver;
    final String base;
    private final Path screenshots;
    private final List<String> console = new ArrayList<>();
    /** Errors read while logging in, reported with the next check. */
    private final List<String> pending = new ArrayList<>();

    Browser(int port) {
        this.base = "http://localhost:" + port;
        this.screenshots = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        Path profile;
        try {
            profile = Files.createTempDirectory("chromium-profile");
            Files.createDirectories(screenshots);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--window-size=1280,900",
                "--user-data-dir=" + profile);
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.ACCEPT);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        this.driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    }

    WebDriverWait waiting(int seconds) {
        return new WebDriverWait(driver, Duration.ofSeconds(seconds), Duration.ofMillis(200));
    }

    /** Logs in to a Camunda webapp ({@code tasklist}, {@code cockpit}) as {@code user}, after ending any session. */
    void login(String app, String user) {
        // end the previous user's session first, then load a fresh document (a fragment change alone keeps the
        // app's state); the form may be drawn before AngularJS binds it on a slow machine: then start again
        for (int attempt = 1; ; attempt++) {
            driver.manage().deleteAllCookies();
            driver.get("about:blank");
            driver.get(base + "/camunda/app/" + app + "/default/#/login");
            try {
                WebElement name = waiting(30)
                        .until(ExpectedConditions.visibilityOfElementLocated(
                                By.cssSelector("input[ng-model=username]")));
                WebElement password = driver.findElement(By.cssSelector("input[ng-model=password]"));
                name.clear();
                name.sendKeys(user);
                password.clear();
                password.sendKeys("demo");
                driver.findElement(By.cssSelector("form[name=signinForm] button[type=submit]"))
                        .click();
                waiting(15)
                        .until(d -> d.findElements(By.cssSelector("form[name=signinForm]"))
                                        .isEmpty()
                                && !d.getCurrentUrl().contains("/login"));
                // a refused first attempt (the fresh session's CSRF token not yet in place) is not an error of the page
                pending.addAll(
                        consoleErrors(List.of(m -> m.contains("/auth/user/default/login/") && m.contains("403"))));
                return;
            } catch (TimeoutException e) {
                if (attempt == 3) {
                    screenshotTo(Path.of("target", "login-failure-" + user + ".png"));
                    throw e;
                }
            }
        }
    }

    void get(String pathAndFragment) {
        driver.get(base + pathAndFragment);
    }

    WebElement find(By by) {
        return waiting(30).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    List<WebElement> all(By by) {
        return driver.findElements(by);
    }

    String text(By by) {
        return find(by).getText();
    }

    void click(By by) {
        WebElement element = waiting(30).until(ExpectedConditions.elementToBeClickable(by));
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
        try {
            element.click();
        } catch (ElementClickInterceptedException covered) {
            // a notification toast over the button: a person would close it; the click is meant for the button
            ((JavascriptExecutor) driver).executeScript("arguments[0].click()", element);
        }
    }

    void screenshotTo(Path file) {
        try {
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A viewport screenshot to docs/images (or target/screenshots), for the README tour. */
    void screenshot(String name) {
        try {
            Files.write(screenshots.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Screenshot of the whole page height (the browser window grows to fit, then shrinks back). */
    void fullScreenshot(String name) {
        // Tasklist and Cockpit lay out panes of the window's height, each scrolling on its own: grow the window to fit
        Object height = ((JavascriptExecutor) driver)
                .executeScript("const c = document.querySelector('.fjs-container, .cp-boards');"
                        + "return c ? c.scrollHeight + 380 : document.body.scrollHeight");
        Dimension before = driver.manage().window().getSize();
        int h = Math.min(2400, Math.max(before.getHeight(), ((Number) height).intValue() + 200));
        driver.manage().window().setSize(new Dimension(before.getWidth(), h));
        ((JavascriptExecutor) driver)
                .executeScript("const c = document.querySelector('.fjs-container, .cp-boards');"
                        + "if (c) { c.scrollIntoView({block: 'start'}); }");
        try {
            screenshot(name);
        } finally {
            driver.manage().window().setSize(before);
        }
    }

    /** Console entries at SEVERE since the last call, minus Camunda's own known noise and {@code expected} ones. */
    List<String> consoleErrors(List<Predicate<String>> expected) {
        List<String> errors = new ArrayList<>(pending);
        pending.clear();
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            String line = entry.getLevel() + " " + entry.getMessage();
            console.add(line);
            if (entry.getLevel().intValue() < Level.SEVERE.intValue()) {
                continue;
            }
            String message = entry.getMessage();
            if (CAMUNDA_NOISE.stream().anyMatch(p -> p.test(message))
                    || expected.stream().anyMatch(p -> p.test(message))) {
                continue;
            }
            errors.add(message);
        }
        return errors;
    }

    void assertNoConsoleErrors(String where) {
        assertNoConsoleErrors(where, List.of());
    }

    void assertNoConsoleErrors(String where, List<Predicate<String>> expected) {
        assertThat(consoleErrors(expected))
                .as("JavaScript console errors on " + where)
                .isEmpty();
    }

    WebDriver raw() {
        return driver;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
