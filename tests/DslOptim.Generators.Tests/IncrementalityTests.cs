using System.Collections.Generic;
using System.Linq;
using DslOptim.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace DslOptim.Generators.Tests;

/// <summary>The pipeline caches: re-runs and unrelated edits re-emit nothing; a formula edit does.</summary>
public class IncrementalityTests
{
    private static readonly string[] TrackedSteps =
    {
        OptimizerGenerator.Steps.Parse,
        OptimizerGenerator.Steps.Model,
        OptimizerGenerator.Steps.Diagnostics,
        OptimizerGenerator.Steps.Derive,
        OptimizerGenerator.Steps.RuntimeFeatures,
    };

    private const string Unrelated = "namespace Other;\n\npublic static class Helpers\n{\n    public static int Twice(int x) => 2 * x;\n}\n";

    [Fact]
    public void Second_run_on_the_same_compilation_is_all_cached()
    {
        var compilation = GeneratorHarness.Compile(Samples.ClippedGd, Unrelated);
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);
        driver = driver.RunGenerators(compilation);

        AssertAllCachedOrUnchanged(driver.GetRunResult());
    }

    [Fact]
    public void Edit_in_another_file_is_all_cached()
    {
        var compilation = GeneratorHarness.Compile(Samples.ClippedGd, Unrelated);
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);
        driver = driver.RunGenerators(compilation);

        var edited = Replace(compilation, 1, Unrelated.Replace("2 * x", "x + x"));
        driver = driver.RunGenerators(edited);

        AssertAllCachedOrUnchanged(driver.GetRunResult());
    }

    [Fact]
    public void Comment_and_moved_lines_in_the_optimizer_file_leave_the_model_unchanged()
    {
        var compilation = GeneratorHarness.Compile(Samples.ClippedGd, Unrelated);
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);

        var edited = Replace(compilation, 0, "// a comment that moves every line down\n\n" + Samples.ClippedGd.Replace("// t = 1, 2, …", "// the step"));
        driver = driver.RunGenerators(edited);

        AssertAllCachedOrUnchanged(driver.GetRunResult());
    }

    [Fact]
    public void Formula_edit_reports_modified()
    {
        var compilation = GeneratorHarness.Compile(Samples.ClippedGd, Unrelated);
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);

        var edited = Replace(compilation, 0, Samples.ClippedGd.Replace("0.5 * s * s", "0.25 * s * s"));
        driver = driver.RunGenerators(edited);
        var result = driver.GetRunResult().Results.Single();

        Assert.Contains(result.TrackedSteps[OptimizerGenerator.Steps.Derive].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(result.TrackedOutputSteps.SelectMany(p => p.Value).SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("0.25", result.GeneratedSources.Single().SourceText.ToString());
    }

    private static void AssertAllCachedOrUnchanged(GeneratorDriverRunResult runResult)
    {
        var result = runResult.Results.Single();
        foreach (var name in TrackedSteps)
        {
            Assert.True(result.TrackedSteps.ContainsKey(name), $"step '{name}' was not tracked");
            foreach (var output in result.TrackedSteps[name].SelectMany(s => s.Outputs))
            {
                Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                    $"step '{name}' reported {output.Reason}");
            }
        }
        var outputs = result.TrackedOutputSteps.SelectMany(p => p.Value).SelectMany(s => s.Outputs).ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"an output reported {o.Reason}"));
    }

    private static Compilation Replace(CSharpCompilation compilation, int index, string text)
    {
        var old = compilation.SyntaxTrees.ElementAt(index);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions, old.FilePath));
    }
}
