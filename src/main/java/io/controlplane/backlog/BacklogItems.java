package io.controlplane.backlog;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

/** The backlog items (Spring Data JDBC): the aggregate by id, and the lists the board and the sources read. */
interface BacklogItems extends ListCrudRepository<BacklogItemRow, Long> {

    /** OPEN and IN_PROGRESS items, highest priority first, then oldest. */
    @Query("SELECT * FROM backlog_items WHERE status IN ('OPEN', 'IN_PROGRESS') ORDER BY priority DESC, created_at, id")
    List<BacklogItemRow> unfinishedByPriority();

    /** OPEN and IN_PROGRESS items raised by a source, oldest first. */
    @Query("SELECT * FROM backlog_items WHERE source = :source AND status IN ('OPEN', 'IN_PROGRESS') "
            + "ORDER BY created_at, id")
    List<BacklogItemRow> unfinished(String source);

    Optional<BacklogItemRow> findBySourceAndSourceRef(String source, String sourceRef);
}
