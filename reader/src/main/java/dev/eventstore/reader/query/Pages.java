package dev.eventstore.reader.query;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A lazy stream over keyset pages: one query per page, issued when the previous page is consumed, so
 * memory holds one page however long the read. No connection is held between pages.
 */
final class Pages {

    @FunctionalInterface
    interface PageQuery<T> {
        /** Up to {@code size} rows starting at {@code from}, inclusive. */
        List<T> page(long from, int size);
    }

    private Pages() {}

    /**
     * @param nextFrom the key the page after a row starts at (its version or position plus or minus one)
     */
    static <T> Stream<T> lazily(long from, int pageSize, PageQuery<T> query, ToLongFunction<T> nextFrom) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size must be at least 1");
        }
        Spliterator<T> pages = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL) {
            private Iterator<T> page = Collections.emptyIterator();
            private long cursor = from;
            private boolean lastPage;

            @Override
            public boolean tryAdvance(Consumer<? super T> action) {
                if (!page.hasNext()) {
                    if (lastPage) {
                        return false;
                    }
                    List<T> rows = query.page(cursor, pageSize);
                    lastPage = rows.size() < pageSize;
                    if (rows.isEmpty()) {
                        return false;
                    }
                    cursor = nextFrom.applyAsLong(rows.get(rows.size() - 1));
                    page = rows.iterator();
                }
                action.accept(page.next());
                return true;
            }
        };
        return StreamSupport.stream(pages, false);
    }
}
