package io.lockstep.cli.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table for the terminal: the first {@code textColumns} columns left-aligned, the rest
 * (numbers) right-aligned.
 */
public final class TextTable {
    private final int textColumns;
    private final List<String[]> rows = new ArrayList<>();

    /** A table with these headers. */
    public TextTable(int textColumns, String... headers) {
        this.textColumns = textColumns;
        rows.add(headers);
    }

    /** Adds a row, one cell per header. */
    public TextTable row(String... cells) {
        if (cells.length != rows.get(0).length)
            throw new IllegalArgumentException(
                    cells.length + " cells for " + rows.get(0).length + " columns");
        rows.add(cells);
        return this;
    }

    /** The table, one line per row (the header first), each line ending in a newline. */
    @Override
    public String toString() {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows)
            for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                if (i > 0) line.append("  ");
                String pad = " ".repeat(width[i] - r[i].length());
                line.append(i < textColumns ? r[i] + pad : pad + r[i]);
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        return b.toString();
    }
}
