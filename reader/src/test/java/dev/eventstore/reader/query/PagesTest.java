package dev.eventstore.reader.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PagesTest {

    private final List<Long> queriedFrom = new ArrayList<>();

    /** Rows 1..total, as an index would page them by key. */
    private Pages.PageQuery<Long> rows(long total) {
        return (from, size) -> {
            queriedFrom.add(from);
            return LongStream.rangeClosed(Math.max(from, 1), total).limit(size).boxed().toList();
        };
    }

    @Test
    void queriesOnePageAtATimeAndOnlyWhenThePreviousOneIsConsumed() {
        var stream = Pages.lazily(1, 10, rows(25), row -> row + 1);
        assertThat(queriedFrom).isEmpty();
        assertThat(stream.limit(12).toList()).hasSize(12);
        assertThat(queriedFrom).containsExactly(1L, 11L);
    }

    @Test
    void aShortPageEndsTheStreamWithoutAnotherQuery() {
        assertThat(Pages.lazily(1, 10, rows(25), row -> row + 1).toList()).isEqualTo(LongStream.rangeClosed(1, 25).boxed().toList());
        assertThat(queriedFrom).containsExactly(1L, 11L, 21L);
    }

    @Test
    void anExactMultipleEndsWithOneEmptyPage() {
        assertThat(Pages.lazily(1, 5, rows(10), row -> row + 1).count()).isEqualTo(10);
        assertThat(queriedFrom).containsExactly(1L, 6L, 11L);
    }
}
