package io.controlplane.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.controlplane.platform.PlainText;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.bpmn.behavior.UserTaskActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParse;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * What someone typed, shown in a Camunda Form as text. form-js renders a {@code text} component's {@code {{variable}}}
 * as Markdown, so a raw variable — a mission title, a reviewer's comment, an agent's error message — would render its
 * links, images and headings. A form shows {@code {{missionTitleText}}} instead of {@code {{missionTitle}}}: when a
 * user task is created, each {@code <name>Text} its form shows is set on the task (a local variable, gone with the
 * task) to the variable {@code <name>} escaped by {@link PlainText#markdownBlock}. The forms say what they need; the
 * raw variables stay as they are for everything else (decisions, evidence, agents).
 */
@Component
public class FormText extends AbstractProcessEnginePlugin {
    /** The suffix of a display copy. */
    public static final String SUFFIX = "Text";

    private static final Pattern SHOWN = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)" + SUFFIX + "\\s*}}");

    /** Form id → the variables whose display copies it shows. */
    private final Map<String, Set<String>> shownByForm;

    FormText() {
        this(readForms("classpath*:forms/*.form"));
    }

    FormText(Map<String, Set<String>> shownByForm) {
        this.shownByForm = shownByForm;
    }

    /** The display copy of {@code variable} a form shows: {@code missionTitle} → {@code missionTitleText}. */
    public static String displayName(String variable) {
        return variable + SUFFIX;
    }

    /** The variables whose display copies a form (its JSON) shows, in order. */
    public static Set<String> shownBy(String formJson) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = SHOWN.matcher(formJson);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    static Map<String, Set<String>> readForms(String pattern) {
        Map<String, Set<String>> out = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        try {
            for (Resource r : new PathMatchingResourcePatternResolver().getResources(pattern)) {
                try (InputStream in = r.getInputStream()) {
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    JsonNode form = json.readTree(text);
                    Set<String> shown = shownBy(text);
                    if (!shown.isEmpty()) {
                        out.put(form.path("id").asText(), Collections.unmodifiableSet(shown));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the forms", e);
        }
        return Collections.unmodifiableMap(out);
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        List<BpmnParseListener> listeners = configuration.getCustomPostBPMNParseListeners() == null
                ? new ArrayList<>()
                : new ArrayList<>(configuration.getCustomPostBPMNParseListeners());
        listeners.add(new AbstractBpmnParseListener() {
            @Override
            public void parseUserTask(Element element, ScopeImpl scope, ActivityImpl activity) {
                String formRef = element.attributeNS(BpmnParse.CAMUNDA_BPMN_EXTENSIONS_NS, "formRef");
                Set<String> shown = formRef == null ? null : shownByForm.get(formRef);
                if (shown != null && activity.getActivityBehavior() instanceof UserTaskActivityBehavior task) {
                    // after the model's own create listeners, which may set what is shown (the audit's gapDetail)
                    task.getTaskDefinition().addTaskListener(TaskListener.EVENTNAME_CREATE, new Copies(shown));
                }
            }
        });
        configuration.setCustomPostBPMNParseListeners(listeners);
    }

    /** Sets the escaped copies on the task being created. */
    record Copies(Set<String> variables) implements TaskListener {
        @Override
        public void notify(DelegateTask task) {
            for (String name : variables) {
                Object value = task.getVariable(name);
                if (value != null) {
                    task.setVariableLocal(displayName(name), PlainText.markdownBlock(String.valueOf(value)));
                }
            }
        }
    }
}
