package io.controlplane.platform;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link OpenApiDocument}'s last pass over the document: schemas renamed from their full class names to short ones
 * (every {@code $ref} with them), and each operation's responses in status order, so the same code gives the same
 * document byte for byte.
 */
final class OpenApiSchemaNames {
    private OpenApiSchemaNames() {}

    static void apply(OpenAPI api) {
        SchemaRefs refs = new SchemaRefs(rename(api));
        if (api.getComponents() != null) {
            refs.visitSchemas(api.getComponents().getSchemas());
            if (api.getComponents().getResponses() != null) {
                api.getComponents().getResponses().values().forEach(refs::visit);
            }
        }
        if (api.getPaths() != null) {
            api.getPaths()
                    .values()
                    .forEach(path -> path.readOperations().forEach(op -> {
                        if (op.getParameters() != null) {
                            op.getParameters().forEach(p -> {
                                refs.visit(p.getSchema());
                                refs.visit(p.getContent());
                            });
                        }
                        if (op.getRequestBody() != null) {
                            refs.visit(op.getRequestBody().getContent());
                        }
                        if (op.getResponses() != null) {
                            op.getResponses().values().forEach(refs::visit);
                            ApiResponses sorted = new ApiResponses();
                            new TreeMap<>(op.getResponses()).forEach(sorted::addApiResponse);
                            op.setResponses(sorted);
                        }
                    }));
        }
    }

    /** Renames the component schemas, sorted by their new names; returns old name → new name. */
    private static Map<String, String> rename(OpenAPI api) {
        Map<String, String> renamed = new TreeMap<>();
        if (api.getComponents() == null || api.getComponents().getSchemas() == null) {
            return renamed;
        }
        Map<String, Schema> schemas = new TreeMap<>();
        api.getComponents().getSchemas().forEach((name, schema) -> {
            String shortName = shortName(name);
            if (schemas.containsKey(shortName)) {
                throw new IllegalStateException("Two schemas would be named " + shortName + ": " + name + " and "
                        + renamed.entrySet().stream()
                                .filter(e -> e.getValue().equals(shortName))
                                .findFirst()
                                .map(Map.Entry::getKey)
                                .orElse(shortName));
            }
            renamed.put(name, shortName);
            schemas.put(shortName, schema);
        });
        api.getComponents().setSchemas(new LinkedHashMap<>(schemas));
        return renamed;
    }

    /**
     * {@code io.controlplane.legacy.LegacyMigrations.Report} → {@code LegacyMigrations.Report}: the package (the
     * lower-case segments) goes, the enclosing classes stay.
     */
    static String shortName(String name) {
        String[] parts = name.replace('$', '.').split("\\.");
        int first = 0;
        while (first < parts.length - 1 && !parts[first].isEmpty() && Character.isLowerCase(parts[first].charAt(0))) {
            first++;
        }
        return String.join(".", Arrays.copyOfRange(parts, first, parts.length));
    }

    /** Rewrites every {@code $ref} to a renamed schema, wherever a schema can sit. */
    private record SchemaRefs(Map<String, String> renamed, Set<Object> seen) {
        private static final String PREFIX = "#/components/schemas/";

        SchemaRefs(Map<String, String> renamed) {
            this(renamed, Collections.newSetFromMap(new IdentityHashMap<>()));
        }

        void visit(ApiResponse response) {
            if (response != null) {
                visit(response.getContent());
                if (response.getHeaders() != null) {
                    response.getHeaders().values().forEach(h -> {
                        visit(h.getSchema());
                        visit(h.getContent());
                    });
                }
            }
        }

        void visit(Content content) {
            if (content != null) {
                content.values().forEach(m -> visit(m.getSchema()));
            }
        }

        void visitSchemas(Map<String, Schema> schemas) {
            if (schemas != null) {
                schemas.values().forEach(this::visit);
            }
        }

        @SuppressWarnings("unchecked")
        void visit(Schema<?> schema) {
            if (schema == null || !seen.add(schema)) {
                return;
            }
            String ref = schema.get$ref();
            if (ref != null && ref.startsWith(PREFIX) && renamed.containsKey(ref.substring(PREFIX.length()))) {
                schema.set$ref(PREFIX + renamed.get(ref.substring(PREFIX.length())));
            }
            visitSchemas(schema.getProperties());
            visitSchemas(schema.getPatternProperties());
            visitSchemas(schema.getDependentSchemas());
            visit(schema.getItems());
            visit(schema.getNot());
            visit(schema.getContains());
            visit(schema.getIf());
            visit(schema.getThen());
            visit(schema.getElse());
            visit(schema.getPropertyNames());
            visit(schema.getUnevaluatedProperties());
            if (schema.getAdditionalProperties() instanceof Schema<?> additional) {
                visit(additional);
            }
            for (List<Schema> list :
                    Arrays.asList(schema.getAllOf(), schema.getAnyOf(), schema.getOneOf(), schema.getPrefixItems())) {
                if (list != null) {
                    list.forEach(this::visit);
                }
            }
        }
    }
}
