using System;
using System.IO;
using System.Linq;
using System.Runtime.Loader;
using System.Threading.Tasks;
using DslOptim.CodeFixes.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Xunit;

namespace DslOptim.CodeFixes.Tests;

public sealed class SmoothAbsoluteValueCodeFixTests
{
    /// <summary>Adam without momentum, §II.A.3: φ(z) = |z| − ε log(ε + |z|); the first |z| is marked.</summary>
    private const string Adam = """
        using System;
        using DslOptim;

        namespace Sample;

        [Optimizer]
        public partial struct AdamWithoutMomentum
        {
            public double Eps { get; init; } = 0.5;
            public double Eta { get; init; } = 0.25;

            [Potential(PotentialKind.Elementwise)]
            public double Phi(double z) => [|Math.Abs(z)|] - Eps * Math.Log(Eps + Math.Abs(z));

            [Schedule] public double LearningRate(long t) => Eta;
        }
        """;

    private const string AdamFixed = """
        using System;
        using DslOptim;

        namespace Sample;

        [Optimizer]
        public partial struct AdamWithoutMomentum
        {
            public double Eps { get; init; } = 0.5;
            public double Eta { get; init; } = 0.25;
            // δ: smooths |u| into √(u² + δ²) (DSLOPT002 code fix)
            public double Delta { get; init; } = 1e-3;

            [Potential(PotentialKind.Elementwise)]
            public double Phi(double z) => Math.Sqrt(z * z + Delta * Delta) - Eps * Math.Log(Eps + Math.Abs(z));

            [Schedule] public double LearningRate(long t) => Eta;
        }
        """;

    private static async Task<FixResult> FixAsync(string markup, string? construct = SmoothAbsoluteValueCodeFix.AbsConstruct)
    {
        var (source, span) = CodeFixRunner.ParseMarkup(markup);
        var result = await CodeFixRunner.ApplyAsync(source, CodeFixRunner.CreateDiagnostic(source, span, construct));
        Assert.NotNull(result);
        return result!;
    }

    private static async Task AssertCompilesWithGeneratorAsync(Document document)
    {
        var compiled = await CodeFixRunner.CompileWithGeneratorAsync(document);
        Assert.Empty(compiled.Exceptions);
        Assert.Empty(compiled.Errors);
        Assert.NotEmpty(compiled.Generated);
    }

    private static int Count(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    [Fact]
    public async Task Replaces_the_marked_abs_and_adds_one_delta_hyperparameter()
    {
        var result = await FixAsync(Adam);

        Assert.Equal(SmoothAbsoluteValueCodeFix.Title, result.Action.Title);
        Assert.Equal(SmoothAbsoluteValueCodeFix.EquivalenceKey, result.Action.EquivalenceKey);
        Assert.Contains("Math.Sqrt(z * z + Delta * Delta)", result.Text, StringComparison.Ordinal);
        Assert.Contains("public double Delta { get; init; } = 1e-3;", result.Text, StringComparison.Ordinal);
        Assert.Contains(SmoothAbsoluteValueCodeFix.MemberComment, result.Text, StringComparison.Ordinal);
        Assert.Equal(1, Count(result.Text, "public double Delta"));
        Assert.Equal(AdamFixed, result.Text);
    }

    [Fact]
    public async Task Leaves_a_second_abs_elsewhere_untouched()
    {
        var result = await FixAsync(Adam);

        Assert.Equal(1, Count(result.Text, "Math.Abs(z)"));
        Assert.Contains("Math.Log(Eps + Math.Abs(z))", result.Text, StringComparison.Ordinal);
        Assert.Equal(1, Count(result.Text, "Math.Sqrt("));
    }

    [Fact]
    public async Task Fixed_document_compiles_with_the_generator()
    {
        var result = await FixAsync(Adam);

        await AssertCompilesWithGeneratorAsync(result.Document);
    }

    [Fact]
    public async Task Existing_delta_gives_delta2()
    {
        var result = await FixAsync(Adam.Replace(
            "public double Eta { get; init; } = 0.25;",
            "public double Eta { get; init; } = 0.25;\n    public double Delta { get; init; } = 0.1;",
            StringComparison.Ordinal));

        Assert.Contains("Math.Sqrt(z * z + Delta2 * Delta2)", result.Text, StringComparison.Ordinal);
        Assert.Contains("public double Delta2 { get; init; } = 1e-3;", result.Text, StringComparison.Ordinal);
        Assert.Contains("public double Delta { get; init; } = 0.1;", result.Text, StringComparison.Ordinal);
        await AssertCompilesWithGeneratorAsync(result.Document);
    }

    [Fact]
    public async Task Names_taken_in_another_partial_part_or_in_scope_are_skipped()
    {
        const string markup = """
            using System;
            using DslOptim;

            [Optimizer]
            public partial struct Split
            {
                [Potential(PotentialKind.Elementwise)]
                public double Phi(double z) => [|Math.Abs(z)|];

                [Schedule] public double LearningRate(long t) => Eta;
            }

            public partial struct Split
            {
                public double Eta { get; init; } = 0.1;
                public double Delta { get; init; } = 0.1;
                public double Delta2 { get; init; } = 0.2;
            }
            """;

        var result = await FixAsync(markup);

        Assert.Contains("Math.Sqrt(z * z + Delta3 * Delta3)", result.Text, StringComparison.Ordinal);
        Assert.Contains("public double Delta3 { get; init; } = 1e-3;", result.Text, StringComparison.Ordinal);
        await AssertCompilesWithGeneratorAsync(result.Document);
    }

    [Fact]
    public async Task Complex_argument_is_parenthesized()
    {
        var result = await FixAsync(Adam.Replace("[|Math.Abs(z)|]", "[|Math.Abs(z - 1)|]", StringComparison.Ordinal));

        Assert.Contains("Math.Sqrt((z - 1) * (z - 1) + Delta * Delta)", result.Text, StringComparison.Ordinal);
        await AssertCompilesWithGeneratorAsync(result.Document);
    }

    [Theory]
    [InlineData("z", "z * z")]
    [InlineData("1.5", "1.5 * 1.5")]
    [InlineData("Eps", "Eps * Eps")]
    [InlineData("Math.Log(Eps + z)", "Math.Log(Eps + z) * Math.Log(Eps + z)")]
    [InlineData("(z - Eps)", "(z - Eps) * (z - Eps)")]
    [InlineData("this.Eps", "this.Eps * this.Eps")]
    [InlineData("-z", "(-z) * (-z)")]
    [InlineData("Eps * z", "(Eps * z) * (Eps * z)")]
    [InlineData("z / Eps", "(z / Eps) * (z / Eps)")]
    [InlineData("z > 0 ? z : 2 * z", "(z > 0 ? z : 2 * z) * (z > 0 ? z : 2 * z)")]
    public async Task Argument_is_parenthesized_unless_atomic(string argument, string square)
    {
        var result = await FixAsync(Adam.Replace("[|Math.Abs(z)|]", $"[|Math.Abs({argument})|]", StringComparison.Ordinal));

        Assert.Contains($"Math.Sqrt({square} + Delta * Delta)", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task System_Math_qualification_is_kept()
    {
        var result = await FixAsync(Adam.Replace("[|Math.Abs(z)|]", "[|System.Math.Abs(z)|]", StringComparison.Ordinal));

        Assert.Contains("System.Math.Sqrt(z * z + Delta * Delta)", result.Text, StringComparison.Ordinal);
        await AssertCompilesWithGeneratorAsync(result.Document);
    }

    [Fact]
    public async Task Struct_with_a_constructor_gets_delta_through_the_initializer()
    {
        var markup = Adam.Replace(
            "    public double Eta { get; init; } = 0.25;",
            "    public double Eta { get; init; } = 0.25;\n\n    public AdamWithoutMomentum() { }",
            StringComparison.Ordinal);

        var result = await FixAsync(markup);
        var compiled = await CodeFixRunner.CompileWithGeneratorAsync(result.Document);
        Assert.Empty(compiled.Exceptions);
        Assert.Empty(compiled.Errors);

        // Load the fixed assembly and read δ off a new instance: the initializer runs in the declared constructor.
        using var stream = new MemoryStream();
        var emit = compiled.Compilation.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        stream.Position = 0;
        var context = new AssemblyLoadContext("CodeFixTest", isCollectible: true);
        try
        {
            var type = context.LoadFromStream(stream).GetType("Sample.AdamWithoutMomentum", throwOnError: true)!;
            var instance = Activator.CreateInstance(type)!;
            Assert.Equal(1e-3, (double)type.GetProperty("Delta")!.GetValue(instance)!);
            var phi = (double)type.GetMethod("Phi")!.Invoke(instance, new object[] { 0.0 })!;
            Assert.Equal(1e-3 - 0.5 * Math.Log(0.5), phi, 12);
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public async Task Static_formula_gets_a_constant_instead()
    {
        const string markup = """
            using System;
            using DslOptim;

            [Optimizer]
            public partial struct AbsoluteLoss
            {
                public double Eta { get; init; } = 0.1;

                [Potential(PotentialKind.Elementwise)]
                public double Phi(double z) => 0.5 * z * z;

                [Loss] public static double Absolute(double r) => [|Math.Abs(r)|];

                [Schedule] public double LearningRate(long t) => Eta;
            }
            """;

        var result = await FixAsync(markup);

        Assert.Equal(SmoothAbsoluteValueCodeFix.ConstantTitle, result.Action.Title);
        Assert.Equal(SmoothAbsoluteValueCodeFix.ConstantEquivalenceKey, result.Action.EquivalenceKey);
        Assert.Contains("Math.Sqrt(r * r + Delta * Delta)", result.Text, StringComparison.Ordinal);
        Assert.Contains("public const double Delta = 1e-3;", result.Text, StringComparison.Ordinal);
        await AssertCompilesWithGeneratorAsync(result.Document);
    }

    [Fact]
    public async Task Works_without_the_construct_property()
    {
        var result = await FixAsync(Adam, construct: null);

        Assert.Equal(AdamFixed, result.Text);
    }

    [Theory]
    [InlineData("Math.Max")]
    [InlineData("?:")]
    public async Task Offers_nothing_for_another_construct(string construct)
    {
        var (source, span) = CodeFixRunner.ParseMarkup(Adam);
        var (_, actions) = await CodeFixRunner.GetActionsAsync(source, CodeFixRunner.CreateDiagnostic(source, span, construct));

        Assert.Empty(actions);
    }

    [Theory]
    [InlineData("public double Phi(double z) => [|Math.Abs(z) - Eps|] * Math.Log(Eps + Math.Abs(z));")]
    [InlineData("public double Phi(double z) => Math.Abs(z) - Eps * [|Math.Log(Eps + Math.Abs(z))|];")]
    [InlineData("public double Phi(double z) => [|Math.Abs|](z) - Eps * Math.Log(Eps + Math.Abs(z));")]
    [InlineData("public double Phi(double z) => Math.Abs([|z|]) - Eps * Math.Log(Eps + Math.Abs(z));")]
    public async Task Offers_nothing_when_the_span_is_not_exactly_an_abs_call(string line)
    {
        var markup = Adam.Replace(
            "public double Phi(double z) => [|Math.Abs(z)|] - Eps * Math.Log(Eps + Math.Abs(z));", line, StringComparison.Ordinal);
        var (source, span) = CodeFixRunner.ParseMarkup(markup);
        var (_, actions) = await CodeFixRunner.GetActionsAsync(source, CodeFixRunner.CreateDiagnostic(source, span));

        Assert.Empty(actions);
    }

    [Fact]
    public async Task Nested_abs_fixes_the_outer_call_only()
    {
        var result = await FixAsync(Adam.Replace("[|Math.Abs(z)|]", "[|Math.Abs(Math.Abs(z) - 1)|]", StringComparison.Ordinal));

        Assert.Contains("Math.Sqrt((Math.Abs(z) - 1) * (Math.Abs(z) - 1) + Delta * Delta)", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crlf_document_keeps_crlf()
    {
        var result = await FixAsync(Adam.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal));

        Assert.Equal(AdamFixed.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal), result.Text);
    }

    [Fact]
    public void Provider_shape()
    {
        var provider = new SmoothAbsoluteValueCodeFix();

        Assert.Equal(new[] { "DSLOPT002" }, provider.FixableDiagnosticIds);
        Assert.Same(WellKnownFixAllProviders.BatchFixer, provider.GetFixAllProvider());
        var export = typeof(SmoothAbsoluteValueCodeFix).GetCustomAttributes(typeof(ExportCodeFixProviderAttribute), false)
            .Cast<ExportCodeFixProviderAttribute>().Single();
        Assert.Equal(new[] { LanguageNames.CSharp }, export.Languages);
    }

    [Fact]
    public async Task Fix_all_in_document_smooths_every_abs_and_compiles()
    {
        var markup = Adam.Replace("Math.Log(Eps + Math.Abs(z))", "Math.Log(Eps + [|Math.Abs(z)|])", StringComparison.Ordinal);
        var first = markup.IndexOf("[|", StringComparison.Ordinal);
        var (withSecond, secondSpan) = CodeFixRunner.ParseMarkup(markup.Remove(first, 2).Remove(markup.IndexOf("|]", StringComparison.Ordinal) - 2, 2));
        var (source, firstSpan) = CodeFixRunner.ParseMarkup(Adam);
        Assert.Equal(source, withSecond);

        var text = await CodeFixRunner.FixAllAsync(
            source,
            new[] { CodeFixRunner.CreateDiagnostic(source, firstSpan), CodeFixRunner.CreateDiagnostic(source, secondSpan) },
            SmoothAbsoluteValueCodeFix.EquivalenceKey);

        Assert.DoesNotContain("Math.Abs", text, StringComparison.Ordinal);
        Assert.Contains("Math.Sqrt(z * z + Delta * Delta) - Eps * Math.Log(Eps + Math.Sqrt(z * z + Delta * Delta))", text, StringComparison.Ordinal);
        Assert.Equal(1, Count(text, "public double Delta { get; init; } = 1e-3;"));
        await AssertCompilesWithGeneratorAsync(CodeFixRunner.CreateDocument(text));
    }
}
