using System;
using System.Collections.Generic;
using System.Linq;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace ImplicitBias;

/// <summary>The PNG figures, drawn with ScottPlot 5. Logarithmic axes plot log₁₀ of the data with decade ticks.</summary>
public static class Plots
{
    private const int Width = 900;
    private const int Height = 560;

    /// <summary>Fig. 1: the distance of Adam-without-momentum's limit from the p = 1, 2, ∞ interpolators against ε.</summary>
    public static void Figure1(string path, double eta, IReadOnlyList<double> epsilons, IReadOnlyList<double[]> distances, IReadOnlyList<string> names)
    {
        var plot = new Plot();
        var logEpsilon = epsilons.Select(Math.Log10).ToArray();
        for (var p = 0; p < names.Count; p++)
        {
            var scatter = plot.Add.Scatter(logEpsilon, distances[p]);
            scatter.LegendText = names[p];
            scatter.LineWidth = 2;
            scatter.MarkerSize = 7;
        }
        LogAxis(plot.Axes.Bottom);
        plot.Axes.SetLimitsY(0, 1.1 * Math.Max(distances.SelectMany(d => d).Where(double.IsFinite).DefaultIfEmpty(1.0).Max(), 1e-12));
        plot.Title($"Fig. 1 — Adam without momentum, η = {Format.G(eta)}: distance of W∞ from the p-interpolators of (11)");
        plot.XLabel("ε");
        plot.YLabel("‖W∞ − W_p‖₂ / ‖W_p‖₂");
        plot.ShowLegend(Alignment.LowerLeft);
        plot.SavePng(path, Width, Height);
    }

    /// <summary>Fig. 2: the distance of the limit from W_GD,∞ and from W_ref against η, normalized by ‖W_ref‖.</summary>
    public static void Figure2(string path, double epsilon, double etaRef, IReadOnlyList<double> etas, double[] fromGd, double[] fromRef)
    {
        var plot = new Plot();
        var logEta = etas.Select(Math.Log10).ToArray();
        var gd = plot.Add.Scatter(logEta, fromGd);
        gd.LegendText = "‖W∞ − W_GD,∞‖₂ / ‖W_ref‖₂";
        gd.LineWidth = 2;
        gd.MarkerSize = 7;
        var reference = plot.Add.Scatter(logEta, fromRef);
        reference.LegendText = $"‖W∞ − W_ref‖₂ / ‖W_ref‖₂ (W_ref: η = {Format.G(etaRef)})";
        reference.LineWidth = 2;
        reference.MarkerSize = 7;
        LogAxis(plot.Axes.Bottom);
        plot.Axes.SetLimitsY(0, 1.15 * Math.Max(fromGd.Concat(fromRef).Max(), 1e-12));
        plot.Title($"Fig. 2 — Adam without momentum, ε = {Format.G(epsilon)}: the limit depends on η");
        plot.XLabel("η");
        plot.YLabel("distance / ‖W_ref‖₂");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, Width, Height);
    }

    /// <summary>The training loss L(W_i) of each run against the step, log–log.</summary>
    public static void LossCurves(string path, IReadOnlyList<RunResult> runs)
    {
        var plot = new Plot();
        foreach (var run in runs)
        {
            var points = run.LossCurve.Where(p => p.Step >= 1 && p.Loss > 0.0).ToArray();
            AddLogLog(plot, points.Select(p => (double)p.Step).ToArray(), points.Select(p => p.Loss).ToArray(), Label(run), markers: false);
        }
        LogAxis(plot.Axes.Bottom);
        LogAxis(plot.Axes.Left);
        plot.Title("Training loss L(W_i) = (1/n) Σ ½ (x_i·W − y_i)²");
        plot.XLabel("step i");
        plot.YLabel("L(W_i)");
        plot.ShowLegend(Alignment.LowerLeft);
        plot.SavePng(path, Width, Height);
    }

    /// <summary>‖W_i − W_p2‖/‖W_p2‖ of each run against the step: Theorem 2's convergence to the p = 2 interpolator.</summary>
    public static void DistanceCurves(string path, IReadOnlyList<RunResult> runs, double referenceNorm)
    {
        var plot = new Plot();
        foreach (var run in runs.Where(r => r.Distances.Count > 1))
        {
            var xs = new List<double>();
            var ys = new List<double>();
            var next = 1.0;
            for (var i = 1; i < run.Distances.Count; i++)
            {
                if (i < next || run.Distances[i] <= 0.0)
                {
                    continue;
                }
                xs.Add(i);
                ys.Add(run.Distances[i] / referenceNorm);
                next = Math.Max(i + 1, next * 1.02);
            }
            AddLogLog(plot, xs, ys.ToArray(), Label(run), markers: false);
        }
        LogAxis(plot.Axes.Bottom);
        LogAxis(plot.Axes.Left);
        plot.Title("Distance from the p = 2 interpolator W0 + X^T (X X^T)⁻¹ (Y − X W0) (Theorem 2)");
        plot.XLabel("step i");
        plot.YLabel("‖W_i − W_p2‖₂ / ‖W_p2‖₂");
        plot.ShowLegend(Alignment.LowerLeft);
        plot.SavePng(path, Width, Height);
    }

    private static string Label(RunResult run)
        => double.IsNaN(run.Epsilon)
            ? $"{run.Method} (η = {Format.G(run.Eta)})"
            : $"{run.Method} (ε = {Format.G(run.Epsilon)}, η = {Format.G(run.Eta)})";

    private static void AddLogLog(Plot plot, IReadOnlyList<double> xs, double[] ys, string label, bool markers)
    {
        var keep = Enumerable.Range(0, ys.Length).Where(i => xs[i] > 0.0 && ys[i] > 0.0 && double.IsFinite(ys[i])).ToArray();
        var scatter = plot.Add.Scatter(keep.Select(i => Math.Log10(xs[i])).ToArray(), keep.Select(i => Math.Log10(ys[i])).ToArray());
        scatter.LegendText = label;
        scatter.LineWidth = 2;
        scatter.MarkerSize = markers ? 7 : 0;
    }

    private static void LogAxis(IAxis axis)
    {
        axis.TickGenerator = new NumericAutomatic
        {
            MinorTickGenerator = new LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = exponent => Format.G(Math.Pow(10.0, exponent)),
        };
    }
}
