using System;
using System.Collections.Generic;
using System.Linq;
using ScottPlot;

namespace TwoLayer;

/// <summary>The PNG figures (ScottPlot 5). Log-scale quantities are plotted as log₁₀ values.</summary>
public static class Plots
{
    private const int Width = 900;
    private const int Height = 560;

    /// <summary>A curve with its ±1 std band.</summary>
    public sealed record Band(string Label, double[] X, double[] Mean, double[]? Std, bool Triangles = false);

    /// <summary>Curves with optional bands; <paramref name="yMin"/>/<paramref name="xMax"/> crop the view (e.g. at a rounding floor).</summary>
    public static void Curves(string path, string title, string xLabel, string yLabel, IReadOnlyList<Band> bands, double? yMin = null, double? xMax = null)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < bands.Count; i++)
        {
            var b = bands[i];
            var color = palette.GetColor(i);
            var keep = Enumerable.Range(0, b.Mean.Length).Where(k => double.IsFinite(b.Mean[k])).ToArray();
            double[] xs = keep.Select(k => b.X[k]).ToArray(), ys = keep.Select(k => b.Mean[k]).ToArray();
            if (b.Std is not null && xs.Length > 1)
            {
                var fill = plot.Add.FillY(xs, keep.Select(k => b.Mean[k] - b.Std[k]).ToArray(), keep.Select(k => b.Mean[k] + b.Std[k]).ToArray());
                fill.FillColor = color.WithAlpha(0.2);
                fill.LineColor = Colors.Transparent;
            }
            var scatter = plot.Add.Scatter(xs, ys);
            scatter.Color = color;
            scatter.LegendText = b.Label;
            scatter.LineWidth = 2;
            if (b.Triangles)
            {
                scatter.MarkerShape = MarkerShape.FilledTriangleUp;
                scatter.MarkerSize = 6;
                scatter.LinePattern = LinePattern.Dashed;
            }
            else
            {
                scatter.MarkerSize = 0;
            }
        }
        if (yMin is not null || xMax is not null)
        {
            plot.Axes.AutoScale();
            var limits = plot.Axes.GetLimits();
            plot.Axes.SetLimits(limits.Left, xMax ?? limits.Right, yMin ?? limits.Bottom, limits.Top);
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, Width, Height);
    }
}
