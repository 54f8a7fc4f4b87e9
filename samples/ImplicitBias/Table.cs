using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace ImplicitBias;

/// <summary>A console table: the first column left-aligned, the others right-aligned, two spaces apart.</summary>
public sealed class Table
{
    private readonly string[] _header;
    private readonly List<string[]> _rows = new();

    public Table(params string[] header) => _header = header;

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

    private static void WriteRow(TextWriter output, string[] row, int[] widths)
    {
        var cells = row.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]));
        output.WriteLine(("  " + string.Join("  ", cells)).TrimEnd());
    }
}

/// <summary>Number formats, invariant culture.</summary>
public static class Format
{
    /// <summary>Scientific with four significant digits: <c>1.234e-07</c>.</summary>
    public static string Sci(double value) => Special(value) ?? value.ToString("0.000e+00", CultureInfo.InvariantCulture);

    /// <summary>Four significant digits, plain or scientific as shorter: <c>0.005</c>, <c>1.25e-05</c>.</summary>
    public static string G(double value) => Special(value) ?? value.ToString("G4", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal);

    /// <summary>Round-trip precision for files.</summary>
    public static string R(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string? Special(double value)
        => double.IsNaN(value) ? "n/a" : double.IsPositiveInfinity(value) ? "∞" : double.IsNegativeInfinity(value) ? "-∞" : null;
}
