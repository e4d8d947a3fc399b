package io.controlplane.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;

/** Camunda Tasklist as a person uses it: the "My checkpoints" list, a task's Camunda Form, claim and complete. */
final class Tasklist {
    private static final String HOME = "/camunda/app/tasklist/default/";
    static final By FORM = By.cssSelector("[cam-tasklist-form-camunda] form.fjs-form");
    static final By COMPLETE = By.cssSelector("button[ng-click='complete()']");
    static final By CLAIM = By.cssSelector("[ng-click='claim()']");

    private final Browser browser;

    Tasklist(Browser browser) {
        this.browser = browser;
    }

    static By taskLink(String taskId) {
        return By.cssSelector("li.task h4.task a[href='#/?task=" + taskId + "']");
    }

    /** The task links the default filter ("My checkpoints") lists for the logged-in user. */
    List<String> listedTaskIds() {
        browser.get(HOME + "#/");
        browser.find(By.cssSelector(".task-filter.active"));
        browser.waiting(30)
                .until(d -> !d.findElements(By.cssSelector("li.task h4.task a")).isEmpty()
                        || d.findElements(By.cssSelector(".no-task")).stream().anyMatch(WebElement::isDisplayed));
        return browser.all(By.cssSelector("li.task h4.task a")).stream()
                .map(a -> a.getAttribute("href").replaceAll(".*task=", ""))
                .toList();
    }

    /** Opens the task from the list (it must be listed for this user) and waits for its form to render. */
    WebElement open(String taskId) {
        browser.get(HOME + "#/");
        for (int attempt = 1; ; attempt++) {
            try {
                browser.waiting(15).until(d -> !d.findElements(taskLink(taskId)).isEmpty());
                break;
            } catch (TimeoutException notYet) {
                if (attempt == 3) {
                    throw notYet;
                }
                browser.raw().navigate().refresh();
            }
        }
        browser.click(taskLink(taskId));
        return rendered();
    }

    /** Waits for the Camunda Form to render without a Tasklist form error. */
    WebElement rendered() {
        WebElement form = browser.waiting(30)
                .until(d -> d.findElements(FORM).stream()
                        .filter(WebElement::isDisplayed)
                        .findFirst()
                        .orElse(null));
        browser.waiting(10)
                .until(d ->
                        !form.findElements(By.cssSelector(".fjs-form-field")).isEmpty());
        assertThat(browser.all(By.cssSelector("[cam-tasklist-form] .alert-danger, .task-details .alert-danger")))
                .as("Tasklist form errors")
                .noneMatch(WebElement::isDisplayed);
        return form;
    }

    void claim() {
        if (browser.all(CLAIM).stream().anyMatch(WebElement::isDisplayed)) {
            browser.click(CLAIM);
        }
        browser.waiting(30).until(d -> d.findElement(COMPLETE).isEnabled());
    }

    static By field(String fieldId) {
        return By.cssSelector("form.fjs-form [id$='-" + fieldId + "']");
    }

    void check(String fieldId) {
        WebElement box = browser.find(field(fieldId));
        if (!box.isSelected()) {
            browser.click(field(fieldId));
        }
    }

    /** Picks the option at {@code index} of a radio group. */
    void choose(String fieldId, int index) {
        browser.click(field(fieldId + "-" + index));
    }

    void type(String fieldId, String text) {
        // form-js re-renders a field when a neighbour changes (a checkbox ticked just before): keys typed during that
        // render can be lost, so type again until the field holds the text, as a person would
        for (int attempt = 1; ; attempt++) {
            WebElement input = browser.find(field(fieldId));
            input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
            input.sendKeys(text);
            // leave the field, as a person does, so form-js validates it again
            input.sendKeys(Keys.TAB);
            String value = browser.find(field(fieldId)).getDomProperty("value");
            if (text.equals(value) || attempt == 3) {
                return;
            }
        }
    }

    /** A form-js 1.8 select: open its dropdown (unless focus already opened it) and click the option with this label. */
    void select(String fieldId, String label) {
        By option = By.xpath(
                "//form[contains(@class,'fjs-form')]//*[contains(@class,'fjs-dropdownlist-item')][normalize-space()='"
                        + label + "']");
        if (browser.all(option).stream().noneMatch(WebElement::isDisplayed)) {
            browser.click(By.cssSelector("form.fjs-form .fjs-select-display[id$='-" + fieldId + "-display']"));
        }
        browser.click(option);
        browser.waiting(10)
                .until(d -> d.findElement(By.cssSelector("form.fjs-form [id$='-" + fieldId + "-display']"))
                        .getText()
                        .equals(label));
    }

    /** Closes Tasklist's notifications (e.g. the failed submit of a form with errors). */
    void dismissNotifications() {
        for (WebElement close : browser.all(By.cssSelector(".page-notifications .alert .close"))) {
            if (close.isDisplayed()) {
                close.click();
            }
        }
    }

    void complete() {
        dismissNotifications();
        browser.click(COMPLETE);
    }

    String formText() {
        return browser.find(FORM).getText();
    }

    /** The form-js validation messages shown under fields. */
    List<String> validationErrors() {
        return browser.all(By.cssSelector("form.fjs-form .fjs-form-field-error")).stream()
                .map(WebElement::getText)
                .filter(t -> !t.isBlank())
                .toList();
    }
}
