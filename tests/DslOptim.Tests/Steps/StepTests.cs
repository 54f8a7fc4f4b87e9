using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using DslOptim.Tests.Infrastructure;
using Xunit;

namespace DslOptim.Tests.Steps;

/// <summary>
/// Every generated Step (two elementwise-style, two isotropic) against the scalar reference loops of
/// <see cref="PaperReference"/>, element by element: every length 0…256 and 1,000,003, spans sliced at
/// offsets 1…15 with guarded neighbours, and the argument checks.
/// </summary>
public sealed class StepTests
{
    public const int OneMillionAndThree = 1_000_003;

    public static IEnumerable<object[]> Optimizers => StepSubject.Names;

    public static IEnumerable<object[]> IsotropicOptimizers => StepSubject.IsotropicNames;

    private static readonly Regime[] Regimes = { Regime.Small, Regime.Large, Regime.Mixed };

    /// <summary>Runs one step on a copy of the inputs and checks every element against the reference.</summary>
    private static void CheckStep<T>(StepSubject subject, double[] w64, double[] g64, long t, Tolerance.Report report, string where)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var w = StepData.Convert<T>(w64);
        var g = StepData.Convert<T>(g64);
        var gBefore = (T[])g.Clone();
        // The reference sees exactly the values the kernel sees (float inputs rounded first).
        var expected = new double[w.Length];
        subject.Reference(StepData.ToDouble<T>(w), StepData.ToDouble<T>(g), t, expected);

        subject.Step<T>()(w, g, t);

        var tolerance = StepData.ToleranceOf<T>();
        for (var i = 0; i < w.Length; i++)
        {
            report.Check(double.CreateTruncating(w[i]), expected[i], tolerance,
                string.Create(CultureInfo.InvariantCulture, $"{where}, t = {t}, element {i} (w = {w64[i]:R}, g = {g64[i]:R})"));
        }
        report.CheckThat(StepData.BitwiseEqual<T>(g, gBefore), $"{where}: the gradient was modified");
    }

    private static void EveryLengthUpTo256<T>(string optimizer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var subject = StepSubject.All[optimizer];
        var report = new Tolerance.Report($"{optimizer}.Step({typeof(T).Name})");
        for (var length = 0; length <= 256; length++)
        {
            foreach (var regime in Regimes)
            {
                var (w, g) = StepData.Draw(length, regime, seed: 1000 * length + (int)regime);
                var t = StepData.StepIndices[length % StepData.StepIndices.Length];
                CheckStep<T>(subject, w, g, t, report, $"length {length}, {regime} gradient");
            }
        }
        report.Assert();
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void DoubleMatchesPaperReferenceAtEveryLengthUpTo256(string optimizer) => EveryLengthUpTo256<double>(optimizer);

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void FloatMatchesPaperReferenceAtEveryLengthUpTo256(string optimizer) => EveryLengthUpTo256<float>(optimizer);

    private static void OneMillionAndThreeElements<T>(string optimizer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var subject = StepSubject.All[optimizer];
        var report = new Tolerance.Report($"{optimizer}.Step({typeof(T).Name}) at length {OneMillionAndThree}");
        foreach (var regime in new[] { Regime.Small, Regime.Large })
        {
            var (w, g) = StepData.Draw(OneMillionAndThree, regime, seed: 77 + (int)regime);
            CheckStep<T>(subject, w, g, 7, report, $"{regime} gradient");
        }
        report.Assert();
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void DoubleMatchesPaperReferenceAtOneMillionAndThree(string optimizer) => OneMillionAndThreeElements<double>(optimizer);

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void FloatMatchesPaperReferenceAtOneMillionAndThree(string optimizer) => OneMillionAndThreeElements<float>(optimizer);

    private static void Repeatable<T>(string optimizer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var subject = StepSubject.All[optimizer];
        var (w64, g64) = StepData.Draw(OneMillionAndThree, Regime.Mixed, seed: 5);
        var g = StepData.Convert<T>(g64);
        var first = StepData.Convert<T>(w64);
        var second = (T[])first.Clone();
        subject.Step<T>()(first, g, 3);
        subject.Step<T>()(second, g, 3);
        Assert.True(StepData.BitwiseEqual<T>(first, second), $"{optimizer}: two identical steps gave different bits");
        Assert.False(StepData.BitwiseEqual<T>(first, StepData.Convert<T>(w64)), $"{optimizer}: the step did not move w");
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void LargeStepsAreBitwiseRepeatable(string optimizer)
    {
        Repeatable<double>(optimizer);
        Repeatable<float>(optimizer);
    }

    private static void SlicedSpans<T>(string optimizer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int Guard = 16;
        var subject = StepSubject.All[optimizer];
        var canaries = StepData.Canaries<T>();
        var tolerance = StepData.ToleranceOf<T>();
        var report = new Tolerance.Report($"{optimizer}.Step({typeof(T).Name}) on sliced spans");
        for (var offset = 1; offset <= 15; offset++)
        {
            // The gradient sits at another offset, so w and g are misaligned with respect to each other.
            var gOffset = 16 - offset;
            for (var length = 1; length <= 300; length++)
            {
                var regime = Regimes[length % Regimes.Length];
                var (w64, g64) = StepData.Draw(length, regime, seed: 100_000 * offset + length);
                var wValues = StepData.Convert<T>(w64);
                var gValues = StepData.Convert<T>(g64);

                var wArray = new T[offset + length + Guard];
                var gArray = new T[gOffset + length + Guard];
                for (var i = 0; i < wArray.Length; i++)
                {
                    wArray[i] = canaries[i % 2];
                }
                for (var i = 0; i < gArray.Length; i++)
                {
                    gArray[i] = canaries[(i + 1) % 2];
                }
                wValues.CopyTo(wArray, offset);
                gValues.CopyTo(gArray, gOffset);
                var wBefore = (T[])wArray.Clone();
                var gBefore = (T[])gArray.Clone();

                var expected = new double[length];
                subject.Reference(StepData.ToDouble<T>(wValues), StepData.ToDouble<T>(gValues), 1, expected);

                subject.Step<T>()(wArray.AsSpan(offset, length), gArray.AsSpan(gOffset, length), 1);

                var where = $"offset {offset} (g at {gOffset}), length {length}";
                report.CheckThat(StepData.BitwiseEqual<T>(wArray.AsSpan(0, offset), wBefore.AsSpan(0, offset)),
                    $"{where}: a canary before the span was written");
                report.CheckThat(StepData.BitwiseEqual<T>(wArray.AsSpan(offset + length), wBefore.AsSpan(offset + length)),
                    $"{where}: a canary after the span was written");
                report.CheckThat(StepData.BitwiseEqual<T>(gArray, gBefore), $"{where}: the gradient array was written");
                for (var i = 0; i < length; i++)
                {
                    report.Check(double.CreateTruncating(wArray[offset + i]), expected[i], tolerance, $"{where}, element {i}");
                }
            }
        }
        report.Assert();
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void DoubleSlicedSpansMatchReferenceAndLeaveNeighboursUntouched(string optimizer) => SlicedSpans<double>(optimizer);

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void FloatSlicedSpansMatchReferenceAndLeaveNeighboursUntouched(string optimizer) => SlicedSpans<float>(optimizer);

    private static void ZeroGradient<T>(string optimizer, double zero)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var subject = StepSubject.All[optimizer];
        foreach (var length in new[] { 1, 2, 7, 8, 64, 255, 4097 })
        {
            var (w64, _) = StepData.Draw(length, Regime.Mixed, seed: length);
            var w = StepData.Convert<T>(w64);
            var before = (T[])w.Clone();
            var g = StepData.Convert<T>(new double[length]);
            g.AsSpan().Fill(T.CreateTruncating(zero));
            subject.Step<T>()(w, g, 1);
            Assert.True(StepData.BitwiseEqual<T>(w, before), $"{optimizer}.Step({typeof(T).Name}) with g = {zero} at length {length} changed w");
            Assert.All(w, x => Assert.True(T.IsFinite(x)));
        }
    }

    [Theory]
    [MemberData(nameof(IsotropicOptimizers))]
    public void IsotropicZeroGradientLeavesWeightsBitwiseUnchangedAndFinite(string optimizer)
    {
        ZeroGradient<double>(optimizer, 0.0);
        ZeroGradient<double>(optimizer, -0.0);
        ZeroGradient<float>(optimizer, 0.0);
        ZeroGradient<float>(optimizer, -0.0);
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void EmptySpansAreANoOp(string optimizer)
    {
        var subject = StepSubject.All[optimizer];
        subject.StepDouble(Span<double>.Empty, ReadOnlySpan<double>.Empty, 1);
        subject.StepSingle(Span<float>.Empty, ReadOnlySpan<float>.Empty, 1);
        // Empty slices of non-empty arrays, with their neighbours guarded.
        var w = new[] { 1.5, 2.5 };
        subject.StepDouble(w.AsSpan(1, 0), new[] { 3.0 }.AsSpan(0, 0), 1);
        Assert.Equal(new[] { 1.5, 2.5 }, w);
    }

    private static void MismatchedLengths<T>(StepSubject subject)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var (wLength, gLength) in new[] { (5, 4), (4, 5), (0, 1), (1, 0), (64, 65), (300, 299) })
        {
            var (w64, _) = StepData.Draw(wLength, Regime.Mixed, seed: 3);
            var (_, g64) = StepData.Draw(gLength, Regime.Large, seed: 4);
            var w = StepData.Convert<T>(w64);
            var g = StepData.Convert<T>(g64);
            var before = (T[])w.Clone();
            var exception = Assert.Throws<ArgumentException>(() => subject.Step<T>()(w, g, 1));
            Assert.False(string.IsNullOrWhiteSpace(exception.Message));
            Assert.True(StepData.BitwiseEqual<T>(w, before), $"{subject.Name}.Step({typeof(T).Name}) wrote w before rejecting lengths {wLength} ≠ {gLength}");
        }
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void MismatchedLengthsThrowArgumentExceptionAndLeaveWUnchanged(string optimizer)
    {
        MismatchedLengths<double>(StepSubject.All[optimizer]);
        MismatchedLengths<float>(StepSubject.All[optimizer]);
    }

    private static void StepIndexBelowOne<T>(StepSubject subject)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var t in new[] { 0L, -1L, long.MinValue })
        {
            var (w64, g64) = StepData.Draw(37, Regime.Large, seed: 9);
            var w = StepData.Convert<T>(w64);
            var g = StepData.Convert<T>(g64);
            var before = (T[])w.Clone();
            var exception = Assert.Throws<ArgumentOutOfRangeException>(() => subject.Step<T>()(w, g, t));
            Assert.Equal("t", exception.ParamName);
            Assert.True(StepData.BitwiseEqual<T>(w, before), $"{subject.Name}.Step({typeof(T).Name}) wrote w before rejecting t = {t}");
        }
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void StepIndexBelowOneThrowsArgumentOutOfRange(string optimizer)
    {
        StepIndexBelowOne<double>(StepSubject.All[optimizer]);
        StepIndexBelowOne<float>(StepSubject.All[optimizer]);
    }

    private static void DefaultOptimizer<T>(StepSubject subject)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (w64, g64) = StepData.Draw(37, Regime.Large, seed: 11);
        var w = StepData.Convert<T>(w64);
        var g = StepData.Convert<T>(g64);
        var before = (T[])w.Clone();
        var exception = Assert.Throws<InvalidOperationException>(() => subject.DefaultStep<T>()(w, g, 1));
        Assert.Contains(subject.Name, exception.Message, StringComparison.Ordinal);
        Assert.True(StepData.BitwiseEqual<T>(w, before), $"default({subject.Name}).Step({typeof(T).Name}) wrote w");
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void DefaultOptimizerThrowsInvalidOperation(string optimizer)
    {
        DefaultOptimizer<double>(StepSubject.All[optimizer]);
        DefaultOptimizer<float>(StepSubject.All[optimizer]);
    }

    [Fact]
    public void ClippingDataExercisesBothBranches()
    {
        foreach (var length in new[] { 1, 2, 17, 256, OneMillionAndThree })
        {
            var (_, small) = StepData.Draw(length, Regime.Small, seed: 1);
            var (_, large) = StepData.Draw(length, Regime.Large, seed: 1);
            Assert.InRange(PaperReference.FrobeniusNorm(small), 1e-6, 0.5);
            Assert.InRange(PaperReference.FrobeniusNorm(large), 1.5, double.PositiveInfinity);
        }
    }

    [Fact]
    public void ConstructorsGiveTheDeclaredDefaults()
    {
        var adam = new AdamWithoutMomentum();
        Assert.Equal(0.5, adam.Eps);
        Assert.Equal(0.01, adam.Eta);

        var normalized = new NormalizedGd();
        Assert.Equal(0.5, normalized.Eps);
        Assert.Equal(0.1, normalized.Eta);

        var clipped = new ClippedGd();
        Assert.Equal(1.0, clipped.Eps);
        Assert.Equal(0.05, clipped.Eta);

        var soft = new SoftSignDescent();
        Assert.Equal(1e-3, soft.Delta);
        Assert.Equal(0.01, soft.Lr);
        Assert.Equal(0.9, soft.Decay);

        var custom = new ClippedGd { Eps = 2.0 };
        Assert.Equal(2.0, custom.Eps);
        Assert.Equal(0.05, custom.Eta);

        Assert.Equal(0.0, default(ClippedGd).Eps);
        Assert.Equal(0.0, default(SoftSignDescent).Lr);
    }

    [Fact]
    public void NonDefaultHyperparametersReachTheKernel()
    {
        // Clipping with ε = 2 and η = 0.3 against the same reference loop.
        var optimizer = new ClippedGd { Eps = 2.0, Eta = 0.3 };
        var report = new Tolerance.Report("ClippedGd { Eps = 2, Eta = 0.3 }");
        foreach (var regime in new[] { Regime.Small, Regime.Large })
        {
            var (w, g) = StepData.Draw(101, regime, seed: 21);
            var expected = new double[w.Length];
            PaperReference.Clipping(2.0, 0.3, w, g, expected);
            optimizer.Step(w, g, 1);
            for (var i = 0; i < w.Length; i++)
            {
                report.Check(w[i], expected[i], 1e-13, $"{regime} gradient, element {i}");
            }
        }
        report.Assert();
    }
}
