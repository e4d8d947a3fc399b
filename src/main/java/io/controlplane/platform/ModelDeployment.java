package io.controlplane.platform;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.spring.SpringProcessEngineConfiguration;
import org.camunda.bpm.spring.boot.starter.configuration.impl.DefaultDeploymentConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.AbstractResource;
import org.springframework.core.io.ContextResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * The one deployment of the models and forms ({@code camunda.bpm.deployment-resource-pattern}), under names that do
 * not depend on how the service was packaged. Camunda's Spring auto-deployment names a resource by its absolute file
 * path when it is a file (target/classes, the Jib image's /app/resources) and by its bare file name inside a jar, and
 * its duplicate filter compares those names with the last deployment of the same name: so the jar's one-shot
 * commands, a service started from another directory or packaging, deployed every model again (version n+1, timer
 * jobs re-created) although nothing had changed. Here every resource is named by its path on the classpath
 * ({@code bpmn/mission-journey.bpmn}, {@code forms/missionRequest.form}) however it is found, under the fixed
 * {@link #DEPLOYMENT_NAME}; an unchanged set of models is then never deployed again. (The one-shot commands do not
 * deploy at all: {@code Commands.COMMAND_PROPERTIES}.)
 */
@Configuration
class ModelDeployment {

    /** Camunda's own default name, kept so a database deployed before these names still has "the" deployment. */
    static final String DEPLOYMENT_NAME = "SpringAutoDeployment";

    /** Replaces the starter's {@code DefaultDeploymentConfiguration} (it is {@code @ConditionalOnMissingBean}). */
    @Bean
    DefaultDeploymentConfiguration modelDeploymentConfiguration() {
        return new DefaultDeploymentConfiguration() {
            @Override
            public void preInit(SpringProcessEngineConfiguration configuration) {
                configuration.setDeploymentName(DEPLOYMENT_NAME);
                super.preInit(configuration);
            }

            @Override
            public Set<Resource> getDeploymentResources() {
                return resources(
                        camundaBpmProperties.getDeploymentResourcePattern(), new PathMatchingResourcePatternResolver());
            }
        };
    }

    /**
     * Every resource the {@code classpath:} / {@code classpath*:} patterns find, named by its classpath path: the
     * pattern's directory and the file's name. A pattern whose directory has a wildcard, or two resources of one
     * name (the same model on two classpath roots), would make the names ambiguous: the start fails, naming it.
     */
    static Set<Resource> resources(String[] patterns, ResourcePatternResolver resolver) {
        Map<String, Resource> byName = new LinkedHashMap<>();
        for (String pattern : patterns) {
            String path = pattern.replaceFirst("^classpath\\*?:", "");
            if (path.equals(pattern)
                    || path.substring(0, Math.max(path.lastIndexOf('/'), 0)).matches(".*[*?{].*")) {
                throw new IllegalStateException("camunda.bpm.deployment-resource-pattern " + pattern
                        + ": give classpath:<directory>/<file pattern>, with no wildcard in the directory, so each"
                        + " model's deployment name is its classpath path");
            }
            String directory = path.lastIndexOf('/') < 0 ? "" : path.substring(0, path.lastIndexOf('/') + 1);
            Resource[] found;
            try {
                found = resolver.getResources(pattern);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot resolve " + pattern + ": " + e.getMessage(), e);
            }
            for (Resource r : found) {
                if (!r.isReadable()
                        || r.getFilename() == null
                        || r.getFilename().isEmpty()) {
                    continue; // a directory
                }
                String name = directory + r.getFilename();
                Resource before = byName.put(name, new Named(name, r));
                if (before != null) {
                    throw new IllegalStateException("Two deployment resources are named " + name + ": "
                            + ((Named) before).resource.getDescription() + " and " + r.getDescription());
                }
            }
        }
        return new LinkedHashSet<>(byName.values());
    }

    /** A resource under its classpath name: Camunda's auto-deployment uses a ContextResource's path as the name. */
    static final class Named extends AbstractResource implements ContextResource {
        private final String name;
        private final Resource resource;

        Named(String name, Resource resource) {
            this.name = name;
            this.resource = resource;
        }

        @Override
        public String getPathWithinContext() {
            return name;
        }

        @Override
        public String getFilename() {
            return resource.getFilename();
        }

        @Override
        public boolean exists() {
            return resource.exists();
        }

        @Override
        public InputStream getInputStream() throws IOException {
            return resource.getInputStream();
        }

        @Override
        public String getDescription() {
            return name + " (" + resource.getDescription() + ")";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Named n && n.name.equals(name);
        }

        @Override
        public int hashCode() {
            return name.hashCode();
        }
    }
}
