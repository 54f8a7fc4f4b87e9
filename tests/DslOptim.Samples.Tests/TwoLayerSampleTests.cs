using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Xunit;
using TwoLayerExperiment = global::TwoLayer.Experiment;

namespace DslOptim.Samples.Tests;

/// <summary>
/// Runs samples/TwoLayer in-process with <c>--tiny</c> into a temporary folder and checks what a reader relies on:
/// every PNG and CSV is written, the tables parse, their numbers are finite, and gradient descent decreased the loss.
/// </summary>
public sealed class TwoLayerSampleTests
{
    private static readonly byte[] PngSignature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

    [Fact]
    public void TinyRunWritesFiguresAndTablesThatParse()
    {
        var folder = Path.Combine(Path.GetTempPath(), "two-layer-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            var output = new StringWriter();
            var error = new StringWriter();
            var code = TwoLayerExperiment.Run(new[] { "--tiny", "--out", folder }, output, error);
            Assert.True(code == TwoLayerExperiment.ExitSuccess, $"exit code {code}; stderr:\n{error}\nstdout:\n{output}");
            foreach (var title in new[] { "Fig. 1", "Fig. 2", "Fig. 3", "Fig. 4" })
            {
                Assert.Contains(title + " —", output.ToString(), StringComparison.Ordinal);
            }

            var pngs = new List<string> { TwoLayerExperiment.Fig2Png, TwoLayerExperiment.Fig2EtaPng, TwoLayerExperiment.Fig3Png, TwoLayerExperiment.Fig3AlphaPng, TwoLayerExperiment.Fig4Png };
            var fig1 = ReadCsv(Path.Combine(folder, TwoLayerExperiment.Fig1Summary));
            Assert.Equal(4, fig1.Count); // --tiny: h ∈ {40, 80} × σ ∈ {1, 3}
            pngs.AddRange(fig1.Select(r => TwoLayerExperiment.Fig1Png(Int(r["h"]), Number(r["sigma"]))));
            foreach (var name in pngs)
            {
                var path = Path.Combine(folder, name);
                Assert.True(File.Exists(path), $"{name} was not written");
                var bytes = File.ReadAllBytes(path);
                Assert.True(bytes.Length > 1000, $"{name} has only {bytes.Length} bytes");
                Assert.Equal(PngSignature, bytes.Take(PngSignature.Length).ToArray());
            }

            // Fig. 1: GD decreased L, and bound (20) and (17) lie above L at t* (Theorem 3.1/3.2).
            foreach (var r in fig1)
            {
                AllFinite(r, "fig1-summary");
                Assert.True(Number(r["log10_L_rho"]) < Number(r["log10_L0"]), $"Fig. 1 h = {r["h"]}, σ = {r["sigma"]}: L did not decrease");
                Assert.True(Number(r["log10_bound20_rho"]) >= Number(r["log10_L_rho"]) - 1e-9);
                Assert.True(Number(r["log10_bound17"]) >= Number(r["log10_L_rho_bar"]) - 1e-9);
                Assert.InRange(Number(r["alpha1/alpha2"]), 1e-12, 1.0);
            }
            CurvesAreFinite(Path.Combine(folder, TwoLayerExperiment.Fig1Curves));

            // Fig. 2: every method decreased the loss; timings are non-negative.
            var fig2 = ReadCsv(Path.Combine(folder, TwoLayerExperiment.Fig2Summary));
            Assert.Equal(6, fig2.Count);
            foreach (var r in fig2)
            {
                AllFinite(r, "fig2-summary", "steps_to_1e-10", "ms_to_1e-10");
                Assert.True(Number(r["log10_L_T"]) < Number(r["log10_L0"]), $"Fig. 2 {r["method"]}: L did not decrease");
                Assert.True(Number(r["steps_ms"]) >= 0 && Number(r["mean_eta"]) > 0);
            }
            var fig2Curves = ReadCsv(Path.Combine(folder, TwoLayerExperiment.Fig2Curves));
            foreach (var run in fig2Curves.GroupBy(r => (r["h"], r["sigma"], r["method"])))
            {
                var log10 = run.OrderBy(r => Int(r["t"])).Select(r => Number(r["mean_log10_L"])).ToArray();
                Assert.Equal(16, log10.Length); // t = 0 … 15
                Assert.All(log10, v => Assert.True(double.IsFinite(v)));
                Assert.True(log10[^1] < log10[0], $"Fig. 2 {run.Key}: L(T) ≥ L(0)");
            }

            // Fig. 3: κ(𝒯₀) ≥ 1, and the same draws scaled by h^(−p) give the same κ for every p (𝒯 is linear in W).
            var fig3 = ReadCsv(Path.Combine(folder, TwoLayerExperiment.Fig3Table));
            Assert.Equal(6, fig3.Count);
            foreach (var r in fig3)
            {
                AllFinite(r, "fig3");
                Assert.True(Number(r["mean_kappa"]) >= 1);
            }
            foreach (var byWidth in fig3.GroupBy(r => r["h"]))
            {
                var kappas = byWidth.Select(r => Number(r["mean_kappa"])).ToArray();
                Assert.All(kappas, k => Assert.True(Math.Abs(k - kappas[0]) <= 1e-12 * kappas[0], $"κ differs across p at h = {byWidth.Key}: {string.Join(", ", kappas)}"));
            }

            // Fig. 4: both problems decrease their loss.
            var fig4 = ReadCsv(Path.Combine(folder, TwoLayerExperiment.Fig4Summary));
            Assert.Equal(2, fig4.Count);
            foreach (var r in fig4)
            {
                AllFinite(r, "fig4-summary");
                Assert.True(Number(r["log10_l_T_problem1"]) < Number(r["log10_L0"]));
                Assert.True(Number(r["log10_L_T_problem2"]) < Number(r["log10_L0"]));
                Assert.True(Number(r["slope_problem1"]) < 0 && Number(r["slope_problem2"]) < 0);
            }
            CurvesAreFinite(Path.Combine(folder, TwoLayerExperiment.Fig4Curves));
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Theory]
    [InlineData("--frobnicate", "--frobnicate")]
    [InlineData("--repeats 0", "--repeats")]
    [InlineData("--steps abc", "--steps")]
    [InlineData("--out", "--out")]
    [InlineData("--full --tiny", "--full")]
    public void BadOptionsExitWithCode2AndNameTheOption(string commandLine, string named)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = TwoLayerExperiment.Run(commandLine.Split(' '), output, error);
        Assert.Equal(TwoLayerExperiment.ExitUsage, code);
        Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
        Assert.Equal("", output.ToString());
    }

    /// <summary>Every cell but the named ones (and the text columns) is a finite number.</summary>
    private static void CurvesAreFinite(string path)
    {
        var rows = ReadCsv(path);
        Assert.NotEmpty(rows);
        foreach (var r in rows)
        {
            AllFinite(r, Path.GetFileName(path));
        }
    }

    private static void AllFinite(Dictionary<string, string> row, string table, params string[] mayBeNaN)
    {
        foreach (var (column, cell) in row)
        {
            if (column is "method" or "series" or "binding" || mayBeNaN.Contains(column))
            {
                continue;
            }
            Assert.True(double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v),
                $"{table}: {column} = '{cell}' is not a finite number");
        }
    }

    private static double Number(string cell) => double.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static int Int(string cell) => int.Parse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static List<Dictionary<string, string>> ReadCsv(string path)
    {
        Assert.True(File.Exists(path), $"{Path.GetFileName(path)} was not written");
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l =>
        {
            var cells = l.Split(',');
            Assert.Equal(header.Length, cells.Length);
            return header.Zip(cells).ToDictionary(p => p.First, p => p.Second);
        }).ToList();
    }
}
