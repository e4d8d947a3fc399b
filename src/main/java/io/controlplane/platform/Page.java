package io.controlplane.platform;

import java.util.ArrayList;
import java.util.List;

/**
 * The one list envelope of {@code /api}: every endpoint that answers a collection answers
 * {@code {"items": [...], "page", "size", "total"}}, paged by {@code ?page=} (0-based) and {@code ?size=}
 * (default {@value #DEFAULT_SIZE}, at most {@value #MAX_SIZE}); {@code total} counts every item the filters match,
 * over all pages. A store pages in SQL ({@code LIMIT :size OFFSET :offset}, and a {@code COUNT(*)} with the same
 * filters), so a page costs what its size costs, not what the table holds.
 */
public record Page<T>(List<T> items, int page, int size, long total) {
    /** The default page size, as the {@code @RequestParam} default of every list endpoint. */
    public static final String DEFAULT_SIZE = "50";

    public static final int MAX_SIZE = 200;

    public Page {
        items = List.copyOf(items);
    }

    public static <T> Page<T> of(Request request, List<T> items, long total) {
        return new Page<>(items, request.page(), request.size(), total);
    }

    /**
     * A page of a list the service holds in memory anyway (a catalog of the code's own constants, never a table):
     * the same envelope, cut here.
     */
    public static <T> Page<T> slice(Request request, List<T> all) {
        long from = Math.min(request.offset(), all.size());
        long to = Math.min(from + request.size(), all.size());
        return of(request, new ArrayList<>(all.subList((int) from, (int) to)), all.size());
    }

    /** A validated {@code ?page=&size=}: a bad value is a 400 naming each bad parameter. */
    public record Request(int page, int size) {
        public static Request of(int page, int size) {
            List<FieldError> errors = new ArrayList<>();
            if (page < 0) {
                errors.add(new FieldError("page", "must be 0 or more (the first page is 0)"));
            }
            if (size < 1 || size > MAX_SIZE) {
                errors.add(new FieldError("size", "must be between 1 and " + MAX_SIZE));
            }
            if (!errors.isEmpty()) {
                throw new InvalidInputException("The paging parameters are invalid", errors);
            }
            return new Request(page, size);
        }

        /** Rows to skip: a long, so that a page far beyond the end is an empty page, not an overflow. */
        public long offset() {
            return (long) page * size;
        }
    }
}
