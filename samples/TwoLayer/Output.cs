using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace TwoLayer;

/// <summary>Number formats (invariant culture).</summary>
public static class Format
{
    public static string G(double v) => double.IsNaN(v) ? "n/a" : v.ToString("G4", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal);

    public static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    public static string F(double v, int digits) => double.IsNaN(v) ? "n/a" : v.ToString("F" + digits, CultureInfo.InvariantCulture);
}

/// <summary>A table printed on the console (aligned columns) and written as CSV (round-trip numbers).</summary>
public sealed class Table(params string[] columns)
{
    private readonly List<object[]> _rows = [];

    public IReadOnlyList<string> Columns { get; } = columns;

    public void Add(params object[] row)
    {
        if (row.Length != Columns.Count)
        {
            throw new ArgumentException($"{row.Length} values for {Columns.Count} columns.", nameof(row));
        }
        _rows.Add(row);
    }

    public void Print(TextWriter w)
    {
        var cells = _rows.Select(r => r.Select(c => c is double d ? Format.G(d) : Convert.ToString(c, CultureInfo.InvariantCulture) ?? "").ToArray()).ToList();
        var widths = Columns.Select((c, i) => Math.Max(c.Length, cells.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        w.WriteLine(string.Join("  ", Columns.Select((c, i) => c.PadLeft(widths[i]))));
        foreach (var r in cells)
        {
            w.WriteLine(string.Join("  ", r.Select((c, i) => c.PadLeft(widths[i]))));
        }
    }

    public void WriteCsv(string path)
    {
        var b = new StringBuilder();
        b.AppendLine(string.Join(",", Columns));
        foreach (var r in _rows)
        {
            var cells = r.Select(c => c is double d ? Format.R(d) : Convert.ToString(c, CultureInfo.InvariantCulture) ?? "").ToArray();
            if (cells.Any(c => c.Contains(',', StringComparison.Ordinal)))
            {
                throw new InvalidOperationException($"A CSV cell of {Path.GetFileName(path)} contains a comma: {string.Join(" | ", cells)}");
            }
            b.AppendLine(string.Join(",", cells));
        }
        File.WriteAllText(path, b.ToString());
    }
}

/// <summary>Mean and standard deviation over repeats, per step.</summary>
public static class Stats
{
    public static (double[] Mean, double[] Std) MeanStd(IReadOnlyList<double[]> series)
    {
        int length = series.Min(s => s.Length);
        var mean = new double[length];
        var std = new double[length];
        for (int t = 0; t < length; t++)
        {
            double m = series.Average(s => s[t]);
            mean[t] = m;
            std[t] = series.Count > 1 ? Math.Sqrt(series.Sum(s => (s[t] - m) * (s[t] - m)) / (series.Count - 1)) : 0.0;
        }
        return (mean, std);
    }

    public static double[] Log10(double[] a) => a.Select(v => Math.Log10(Math.Max(v, double.Epsilon))).ToArray();
}
