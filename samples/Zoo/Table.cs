using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Zoo;

/// <summary>A console table: the first two columns left-aligned, the others right-aligned, two spaces apart.</summary>
public sealed class Table
{
    private readonly string[] _header;
    private readonly int _leftAligned;
    private readonly List<string[]> _rows = new();

    public Table(int leftAligned, params string[] header)
    {
        _leftAligned = leftAligned;
        _header = header;
    }

    public void Add(params string[] cells)
    {
        if (cells.Length != _header.Length)
        {
            throw new ArgumentException($"A row needs {_header.Length} cells, got {cells.Length}.", nameof(cells));
        }
        _rows.Add(cells);
    }

    public void Write(TextWriter output)
    {
        var widths = new int[_header.Length];
        foreach (var row in _rows.Prepend(_header))
        {
            for (var c = 0; c < row.Length; c++)
            {
                widths[c] = Math.Max(widths[c], row[c].Length);
            }
        }
        WriteRow(output, _header, widths);
        output.WriteLine("  " + string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in _rows)
        {
            WriteRow(output, row, widths);
        }
    }

    private void WriteRow(TextWriter output, string[] row, int[] widths)
    {
        var cells = row.Select((cell, c) => c < _leftAligned ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]));
        output.WriteLine(("  " + string.Join("  ", cells)).TrimEnd());
    }
}
