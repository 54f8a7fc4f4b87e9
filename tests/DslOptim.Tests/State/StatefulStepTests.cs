using System;
using System.Linq;
using DslOptim.Tests.Infrastructure;
using Xunit;

namespace DslOptim.Tests.State;

/// <summary>
/// The fused stateful Step against scalar loops written from the notes' formulas (not from the generated code):
/// every length 0…256 and 1,000,003, slices at offsets 1…15 with canaries, several steps so the states matter.
/// </summary>
public class StatefulStepTests
{
    private const double Canary = 12345.678;

    private interface IReference
    {
        int States { get; }

        void Step(double[] w, double[] g, double[][] s, double[] scalars, long t);
    }

    private sealed class AdamReference : IReference
    {
        public int States => 2;

        public void Step(double[] w, double[] g, double[][] s, double[] scalars, long t)
        {
            const double lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-8;
            for (var i = 0; i < w.Length; i++)
            {
                s[0][i] = b1 * s[0][i] + (1 - b1) * g[i];
                s[1][i] = b2 * s[1][i] + (1 - b2) * g[i] * g[i];
                var mHat = s[0][i] / (1 - Math.Pow(b1, t));
                var vHat = s[1][i] / (1 - Math.Pow(b2, t));
                w[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }
        }
    }

    private sealed class AdamWReference : IReference
    {
        public int States => 2;

        public void Step(double[] w, double[] g, double[][] s, double[] scalars, long t)
        {
            const double b1 = 0.9, b2 = 0.999, eps = 1e-8, decay = 0.01;
            var lr = 1e-2 / Math.Sqrt(t);
            for (var i = 0; i < w.Length; i++)
            {
                s[0][i] = b1 * s[0][i] + (1 - b1) * g[i];
                s[1][i] = b2 * s[1][i] + (1 - b2) * g[i] * g[i];
                var d = s[0][i] / (1 - Math.Pow(b1, t)) / (Math.Sqrt(s[1][i] / (1 - Math.Pow(b2, t))) + eps);
                w[i] -= lr * (d + decay * w[i]);
            }
        }
    }

    private sealed class HeavyBallReference : IReference
    {
        public int States => 1;

        public void Step(double[] w, double[] g, double[][] s, double[] scalars, long t)
        {
            for (var i = 0; i < w.Length; i++)
            {
                s[0][i] = 0.9 * s[0][i] + g[i];
                w[i] -= 0.05 * s[0][i];
            }
        }
    }

    private sealed class ScalarAndOrderReference : IReference
    {
        public int States => 2;

        public void Step(double[] w, double[] g, double[][] s, double[] scalars, long t)
        {
            const double beta = 0.8, lr = 0.1;
            scalars[0] *= beta + 0.1 / t;
            for (var i = 0; i < w.Length; i++)
            {
                var cPrevious = s[1][i];
                s[0][i] = beta * s[0][i] + g[i] + 0.5 * cPrevious;   // a reads c's previous value (c is declared later)
                s[1][i] = 0.5 * cPrevious + s[0][i];                  // c reads a's new value (a is declared earlier)
                w[i] -= lr * (s[0][i] + 0.25 * s[1][i]) * scalars[0];
            }
        }
    }

    [Fact]
    public void Adam_equals_its_reference_in_double_and_float()
    {
        var adam = new Adam();
        Run<double, Adam.State<double>>(new AdamReference(), adam.CreateState<double>, (w, g, s, t) => adam.Step(w, g, s, t), s => new[] { D(s.M), D(s.V) }, s => Array.Empty<double>(), 1e-13);
        Run<float, Adam.State<float>>(new AdamReference(), adam.CreateState<float>, (w, g, s, t) => adam.Step(w, g, s, t), s => new[] { D(s.M), D(s.V) }, s => Array.Empty<double>(), 1e-5);
    }

    [Fact]
    public void AdamW_with_an_update_member_equals_its_reference()
    {
        var adamW = new AdamW();
        Run<double, AdamW.State<double>>(new AdamWReference(), adamW.CreateState<double>, (w, g, s, t) => adamW.Step(w, g, s, t), s => new[] { D(s.M), D(s.V) }, s => Array.Empty<double>(), 1e-13);
    }

    [Fact]
    public void Heavy_ball_equals_its_reference()
    {
        var heavyBall = new HeavyBall();
        Run<double, HeavyBall.State<double>>(new HeavyBallReference(), heavyBall.CreateState<double>, (w, g, s, t) => heavyBall.Step(w, g, s, t), s => new[] { D(s.B) }, s => Array.Empty<double>(), 1e-13);
        Run<float, HeavyBall.State<float>>(new HeavyBallReference(), heavyBall.CreateState<float>, (w, g, s, t) => heavyBall.Step(w, g, s, t), s => new[] { D(s.B) }, s => Array.Empty<double>(), 1e-5);
    }

    [Fact]
    public void Scalar_states_initial_values_and_declaration_order_follow_the_binding_rules()
    {
        var optimizer = new ScalarAndOrder();
        var state = optimizer.CreateState<double>(3);
        Assert.Equal(1.0, state.Product);
        Assert.Equal(new[] { 2.0, 2.0, 2.0 }, state.C.ToArray());
        Assert.Equal(new[] { 0.0, 0.0, 0.0 }, state.A.ToArray());
        Run<double, ScalarAndOrder.State<double>>(new ScalarAndOrderReference(), optimizer.CreateState<double>, (w, g, s, t) => optimizer.Step(w, g, s, t), s => new[] { D(s.A), D(s.C) }, s => new[] { s.Product }, 1e-13, initialStates: new[] { 0.0, 2.0 }, initialScalars: new[] { 1.0 });
    }

    [Fact]
    public void Bad_arguments_throw_before_anything_is_written()
    {
        var adam = new Adam();
        var state = adam.CreateState<double>(8);
        var w = Enumerable.Range(0, 8).Select(i => 0.1 * i).ToArray();
        var before = (double[])w.Clone();
        state.M.Fill(0.5);

        Assert.Throws<ArgumentException>(() => adam.Step(w, new double[7], state, 1));
        Assert.Throws<ArgumentException>(() => adam.Step(w.AsSpan(0, 7), new double[7], state, 1));
        Assert.Throws<ArgumentNullException>(() => adam.Step(w, new double[8], null!, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.Step(w, new double[8], state, 0));
        Assert.Throws<InvalidOperationException>(() => default(Adam).Step(w, new double[8], state, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.CreateState<double>(-1));

        Assert.Equal(before, w);
        Assert.All(state.M.ToArray(), m => Assert.Equal(0.5, m));
        Assert.All(state.V.ToArray(), v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void Stateful_step_allocates_nothing()
    {
        var adam = new Adam();
        var state = adam.CreateState<double>(10_000);
        var w = new double[10_000];
        var g = Enumerable.Range(0, 10_000).Select(i => Math.Sin(i)).ToArray();
        var scalar = new ScalarAndOrder();
        var scalarState = scalar.CreateState<float>(1000);
        var wf = new float[1000];
        var gf = new float[1000];
        long allocated = Allocation.OverCollectionFreeWindow(
            i =>
            {
                adam.Step(w, g, state, i + 1);
                scalar.Step(wf, gf, scalarState, i + 1);
            },
            calls: 1000,
            warmUp: 10);
        Assert.Equal(0, allocated);
    }

    private static double[] D<T>(Span<T> values)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = double.CreateTruncating(values[i]);
        }
        return result;
    }

    private delegate void StepWith<T, TState>(Span<T> w, ReadOnlySpan<T> g, TState state, long t);

    /// <summary>Lengths 0…256 and 1,000,003 at offset 0, then lengths 1…64 at offsets 1…15 with canaries; three steps each.</summary>
    private static void Run<T, TState>(
        IReference reference,
        Func<int, TState> create,
        StepWith<T, TState> step,
        Func<TState, double[][]> states,
        Func<TState, double[]> scalars,
        double tolerance,
        double[]? initialStates = null,
        double[]? initialScalars = null)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var cases = Enumerable.Range(0, 257).Select(n => (n, 0)).Append((1_000_003, 0))
            .Concat(Enumerable.Range(1, 15).SelectMany(offset => new[] { 1, 7, 16, 33, 64 }.Select(n => (n, offset))));
        foreach (var (length, offset) in cases)
        {
            var random = new Random(length * 31 + offset);
            var buffer = Enumerable.Repeat(T.CreateTruncating(Canary), length + offset + 4).ToArray();
            var w = buffer.AsSpan(offset, length);
            for (var i = 0; i < length; i++)
            {
                w[i] = T.CreateTruncating(random.NextDouble() - 0.5);
            }
            var expectedW = w.ToArray().Select(double.CreateTruncating).ToArray();
            var expectedStates = Enumerable.Range(0, reference.States).Select(k => Enumerable.Repeat(initialStates?[k] ?? 0.0, length).ToArray()).ToArray();
            var expectedScalars = (double[])(initialScalars ?? Array.Empty<double>()).Clone();
            var state = create(length);
            for (long t = 1; t <= 3; t++)
            {
                var g = Enumerable.Range(0, length).Select(_ => T.CreateTruncating(2 * random.NextDouble() - 1)).ToArray();
                step(w, g, state, t);
                reference.Step(expectedW, g.Select(double.CreateTruncating).ToArray(), expectedStates, expectedScalars, t);
            }

            for (var i = 0; i < length; i++)
            {
                Assert.True(Tolerance.Close(double.CreateTruncating(w[i]), expectedW[i], tolerance), $"w[{i}] length {length} offset {offset}: {w[i]} vs {expectedW[i]:R}");
            }
            var actualStates = states(state);
            for (var k = 0; k < reference.States; k++)
            {
                for (var i = 0; i < length; i++)
                {
                    Assert.True(Tolerance.Close(actualStates[k][i], expectedStates[k][i], tolerance), $"state {k}[{i}] length {length}: {actualStates[k][i]:R} vs {expectedStates[k][i]:R}");
                }
            }
            var actualScalars = scalars(state);
            for (var k = 0; k < expectedScalars.Length; k++)
            {
                Assert.True(Tolerance.Close(actualScalars[k], expectedScalars[k], 1e-15), $"scalar state {k}: {actualScalars[k]:R} vs {expectedScalars[k]:R}");
            }
            for (var i = 0; i < offset; i++)
            {
                Assert.Equal(T.CreateTruncating(Canary), buffer[i]);
            }
            for (var i = offset + length; i < buffer.Length; i++)
            {
                Assert.Equal(T.CreateTruncating(Canary), buffer[i]);
            }
        }
    }
}
