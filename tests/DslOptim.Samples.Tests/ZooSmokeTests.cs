using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;
using ZooProgram = Zoo.Program;
using ZooMethods = Zoo.Methods;

namespace DslOptim.Samples.Tests;

/// <summary>
/// Runs samples/Zoo in-process through <see cref="ZooProgram.Run"/> for a short run, and checks the table a reader
/// relies on: every method is there, the losses are numbers and the adaptive methods made progress.
/// </summary>
public sealed class ZooSmokeTests
{
    [Fact]
    public void ShortRunPrintsOneRowPerMethodWithFiniteLossesBelowTheInitialOne()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var code = ZooProgram.Run(new[] { "--steps", "50" }, output, error);

        Assert.True(code == ZooProgram.ExitSuccess, $"exit code {code}; stderr:\n{error}\nstdout:\n{output}");
        var rows = ReadTable(output.ToString());
        Assert.Equal(ZooMethods.All.Count, rows.Count);
        var initialLoss = Math.Log(2);
        foreach (var method in ZooMethods.All)
        {
            Assert.True(rows.ContainsKey(method.Name), $"no row for {method.Name} in:\n{output}");
            var row = rows[method.Name];
            Assert.Equal(method.Hyperparameters, row[1]);

            var finalLoss = Number(row[2]);
            Assert.True(double.IsFinite(finalLoss), $"{method.Name}: final loss '{row[2]}'");
            if (method.Adaptive)
            {
                Assert.True(finalLoss < initialLoss, $"{method.Name}: final loss {finalLoss} is not below ln 2");
            }

            Assert.True(row[3] == "—" || int.Parse(row[3], CultureInfo.InvariantCulture) is >= 0 and <= 50, $"{method.Name}: steps to target '{row[3]}'");
            Assert.Equal(0, int.Parse(row[4], CultureInfo.InvariantCulture) % sizeof(double));
            Assert.True(Number(row[5]) >= 0, $"{method.Name}: time/step '{row[5]}'");
        }

        // State bytes per parameter, counted from the State<double> buffers.
        Assert.Equal("0", rows["SGD"][4]);
        Assert.Equal("16", rows["Adam"][4]);
        Assert.Equal("24", rows["AMSGrad"][4]);
        Assert.Equal("0", rows["Normalized GD"][4]);
        Assert.Equal("16", rows["Adam-atan2"][4]);
        Assert.Equal("0", rows["Exponentiated gradient"][4]);
        Assert.Equal("0", rows["Sphere SGD"][4]);

        // The constrained two start on their sets and still make progress there within 50 steps.
        Assert.True(Number(rows["Exponentiated gradient"][2]) < initialLoss, $"exponentiated gradient: {rows["Exponentiated gradient"][2]}");
        Assert.True(Number(rows["Sphere SGD"][2]) < 0.45, $"sphere SGD: {rows["Sphere SGD"][2]}");
    }

    [Theory]
    [InlineData("--frobnicate", "--frobnicate")]
    [InlineData("--steps abc", "--steps")]
    [InlineData("--steps 0", "--steps")]
    [InlineData("--seed", "--seed")]
    [InlineData("--help=yes", "--help")]
    public void BadOptionsExitWithCode2AndNameTheOption(string commandLine, string named)
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var code = ZooProgram.Run(commandLine.Split(' '), output, error);

        Assert.Equal(ZooProgram.ExitUsage, code);
        Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
        Assert.Equal("", output.ToString());
    }

    /// <summary>The table's rows by method: the line after the header's dashes up to the first blank line, split on 2+ spaces.</summary>
    private static Dictionary<string, string[]> ReadTable(string text)
    {
        var lines = text.Split('\n').Select(line => line.TrimEnd('\r')).ToArray();
        var header = Array.FindIndex(lines, line => line.TrimStart().StartsWith("method ", StringComparison.Ordinal));
        Assert.True(header >= 0, $"no table header in:\n{text}");
        var columns = Split(lines[header]);
        Assert.Equal(ZooProgram.Columns, columns);

        var rows = new Dictionary<string, string[]>();
        foreach (var line in lines.Skip(header + 2).TakeWhile(line => line.Trim().Length > 0))
        {
            var cells = Split(line);
            Assert.True(cells.Length == columns.Length, $"row '{line}' has {cells.Length} cells");
            rows.Add(cells[0], cells);
        }
        return rows;
    }

    private static string[] Split(string line) => Regex.Split(line.Trim(), @"\s{2,}");

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
