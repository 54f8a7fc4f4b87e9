using System;
using System.Collections.Generic;
using System.Linq;
using System.Collections.Immutable;
using System.Text;
using DslOptim.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace DslOptim.Generators.Tests;

/// <summary>
/// The generator never throws, whatever the person is typing: no CS8785 on any prefix of the README example,
/// on random mutations of the samples, or on absurdly large formulas. When it emits code for a declaration it
/// did not complain about, that code compiles.
/// </summary>
public class RobustnessTests
{
    [Fact]
    public void Every_prefix_of_the_readme_example_is_handled()
    {
        var source = Samples.ClippedGd;
        var tokens = CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens().ToList();
        Assert.True(tokens.Count > 100);

        foreach (var token in tokens)
        {
            AssertHandled(source.Substring(0, token.Span.End));
        }
    }

    [Fact]
    public void Seeded_random_mutations_of_the_samples_are_handled()
    {
        var random = new Random(20261123);
        var samples = new[] { Samples.ClippedGd, Samples.NormalizedGd, Samples.AdamWithoutMomentum, Samples.SignDescent, Samples.Adam };
        var emitted = 0;
        for (var i = 0; i < 1000; i++)
        {
            var mutated = Mutate(samples[i % samples.Length], random);
            emitted += AssertHandled(mutated) ? 1 : 0;
        }
        // The mutations must exercise both outcomes, or the test checks nothing.
        Assert.InRange(emitted, 50, 950);
    }

    [Fact]
    public void A_ten_thousand_term_sum_gets_a_diagnostic()
    {
        var sum = string.Join(" + ", Enumerable.Repeat("z", 10_000));
        var run = GeneratorHarness.Run(Formula(sum));

        Assert.Empty(run.Exceptions);
        Assert.Contains(run.GeneratorDiagnostics, d => d.Id == "DSLOPT008" && d.GetMessage().Contains("formula"));
        Assert.Empty(run.Generated);
    }

    [Fact]
    public void A_500_deep_nesting_gets_a_diagnostic()
    {
        var nested = new StringBuilder("z");
        for (var i = 0; i < 500; i++)
        {
            nested.Insert(0, "Math.Exp(").Append(')');
        }
        var run = GeneratorHarness.Run(Formula(nested.ToString()));

        Assert.Empty(run.Exceptions);
        Assert.Contains(run.GeneratorDiagnostics, d => d.Id == "DSLOPT008" && d.GetMessage().Contains("nested"));
        Assert.Empty(run.Generated);
    }

    private static string Formula(string body) => Samples.Usings + $$"""
        [Optimizer]
        public partial struct Big
        {
            [Potential] public double Phi(double z) => {{body}};
            [Schedule] public double LearningRate(long t) => 0.1;
        }
        """;

    /// <summary>Runs one source; returns whether code was emitted.</summary>
    private static bool AssertHandled(string source)
    {
        var compilation = GeneratorHarness.Compile(source);
        var driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var result = driver.GetRunResult();

        Assert.All(result.Results, r => Assert.Null(r.Exception));
        Assert.DoesNotContain(diagnostics, d => d.Id is "CS8785" or "AD0001");
        AssertAnalyzerDoesNotThrow(output, source);
        if (result.GeneratedTrees.IsEmpty)
        {
            return false;
        }
        // Generated code must not be where the errors are when the input itself had none the generator missed.
        if (diagnostics.IsEmpty && !compilation.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error && d.Id != "CS0103" && d.Id != "CS1061"))
        {
            var generatedErrors = output.GetDiagnostics()
                .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is { } tree && result.GeneratedTrees.Contains(tree))
                .ToList();
            Assert.True(generatedErrors.Count == 0, "generated code does not compile:\n" + string.Join("\n", generatedErrors) + "\n--- input ---\n" + source);
        }
        return true;
    }

    /// <summary>The theory checker runs on the same half-typed code: an exception would surface as AD0001.</summary>
    private static void AssertAnalyzerDoesNotThrow(Compilation compilation, string source)
    {
        var exceptions = new List<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, _, _) => exceptions.Add(exception),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        var analyzed = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new Generators.Analysis.OptimizerAnalyzer()), options)
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        Assert.True(exceptions.Count == 0, "the analyzer threw: " + string.Join("\n", exceptions) + "\n--- input ---\n" + source);
        Assert.DoesNotContain(analyzed, d => d.Id == "AD0001");
    }

    private static readonly string[] Replacements =
    {
        "Math.Floor(", "?", ":", ")", "(", "==", "\"text\"", "1e400", "[Potential]", "[Loss]", "[Schedule]",
        "static", "partial", "long", "int", "double", "=>", ";", "{", "}", "Math.Sqrt", "-", "/", "0", "Eps", "s",
        "z", "r", "g", "t", ",", "[Preconditioner]", "PotentialKind.Spectral", "new", "this", "default", "!", "&&",
        "Math.Pow(", "Math.Max(", "1", "0.5", "readonly", "record", "class", "struct", "public", "private",
    };

    private static string Mutate(string source, Random random)
    {
        var tokens = CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens().Select(t => t.ToFullString()).ToList();
        var edits = 1 + random.Next(3);
        for (var e = 0; e < edits && tokens.Count > 1; e++)
        {
            var i = random.Next(tokens.Count);
            switch (random.Next(4))
            {
                case 0:
                    tokens.RemoveAt(i);
                    break;
                case 1:
                    tokens.Insert(i, tokens[random.Next(tokens.Count)]);
                    break;
                case 2:
                    var j = random.Next(tokens.Count);
                    (tokens[i], tokens[j]) = (tokens[j], tokens[i]);
                    break;
                default:
                    tokens[i] = " " + Replacements[random.Next(Replacements.Length)] + " ";
                    break;
            }
        }
        return string.Concat(tokens);
    }
}
