using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using ImplicitBias;
using Xunit;

namespace DslOptim.Samples.Tests;

/// <summary>
/// Runs samples/ImplicitBias in-process through <see cref="Experiment.Run"/>, as <c>dotnet run</c> would,
/// and checks what a reader of its output relies on.
/// </summary>
public sealed class ImplicitBiasSampleTests
{
    private static readonly byte[] PngSignature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

    [Fact]
    public void QuickRunWritesValidFiguresAndASummaryThatConfirmsTheorem2()
    {
        var folder = Path.Combine(Path.GetTempPath(), "implicit-bias-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            var output = new StringWriter();
            var error = new StringWriter();

            var code = Experiment.Run(new[] { "--quick", "--out", folder }, output, error);

            Assert.True(code == Experiment.ExitSuccess, $"exit code {code}; stderr:\n{error}\nstdout:\n{output}");
            Assert.Contains(folder, output.ToString(), StringComparison.Ordinal);
            Assert.Contains("N(0, 1)", output.ToString(), StringComparison.Ordinal);

            foreach (var name in new[] { Experiment.Figure1File, Experiment.Figure2File, Experiment.LossCurvesFile, Experiment.DistanceCurvesFile })
            {
                var path = Path.Combine(folder, name);
                Assert.True(File.Exists(path), $"{name} was not written");
                var bytes = File.ReadAllBytes(path);
                Assert.True(bytes.Length > 1000, $"{name} has only {bytes.Length} bytes");
                Assert.Equal(PngSignature, bytes.Take(PngSignature.Length).ToArray());
            }

            var rows = ReadCsv(Path.Combine(folder, Experiment.SummaryFile));
            Assert.Equal(4, rows.Count);
            foreach (var method in new[] { "GD", "Normalized GD", "Gradient clipping" })
            {
                var row = rows.Single(r => r["method"] == method);
                Assert.Equal("true", row["converged"]);
                Assert.True(Number(row["relative_distance_p2"]) <= 1e-6, $"{method}: ‖W − W_p2‖/‖W_p2‖ = {row["relative_distance_p2"]}");
                Assert.True(Number(row["residual"]) <= 1e-6, $"{method}: ‖XW − Y‖ = {row["residual"]}");
            }

            // Adam without momentum interpolates too, but its limit is not the p = 2 interpolator.
            var adam = rows.Single(r => r["method"] == "Adam without momentum");
            Assert.Equal("elementwise", adam["potential"]);
            Assert.True(Number(adam["residual"]) <= 1e-6, $"Adam: ‖XW − Y‖ = {adam["residual"]}");
            Assert.True(Number(adam["relative_distance_p2"]) > 1e-4, $"Adam: ‖W − W_p2‖/‖W_p2‖ = {adam["relative_distance_p2"]}");

            Assert.True(ReadCsv(Path.Combine(folder, Experiment.Figure1Data)).Count >= 2);
            Assert.True(ReadCsv(Path.Combine(folder, Experiment.Figure2Data)).Count >= 2);
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
    [InlineData("--n abc", "--n")]
    [InlineData("--d 1.5", "--d")]
    [InlineData("--n 200 --d 200", "--n")]
    [InlineData("--n 300", "--n")]
    [InlineData("--steps 0", "--steps")]
    [InlineData("--seed", "--seed")]
    [InlineData("--quick=yes", "--quick")]
    [InlineData("--out=", "--out")]
    [InlineData("stray", "stray")]
    public void BadOptionsExitWithCode2AndNameTheOption(string commandLine, string named)
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var code = Experiment.Run(commandLine.Split(' '), output, error);

        Assert.Equal(Experiment.ExitUsage, code);
        Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("--help", error.ToString(), StringComparison.Ordinal);
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public void HelpPrintsTheOptionsAndSucceeds()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var code = Experiment.Run(new[] { "--help" }, output, error);

        Assert.Equal(Experiment.ExitSuccess, code);
        foreach (var option in new[] { "--n", "--d", "--seed", "--steps", "--out", "--quick", "--help" })
        {
            Assert.Contains(option, output.ToString(), StringComparison.Ordinal);
        }
        Assert.Equal("", error.ToString());
    }

    private static List<Dictionary<string, string>> ReadCsv(string path)
    {
        Assert.True(File.Exists(path), $"{Path.GetFileName(path)} was not written");
        var lines = File.ReadAllLines(path).Where(line => line.Length > 0).ToArray();
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(line =>
        {
            var cells = line.Split(',');
            Assert.Equal(header.Length, cells.Length);
            return header.Zip(cells).ToDictionary(pair => pair.First, pair => pair.Second);
        }).ToList();
    }

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
