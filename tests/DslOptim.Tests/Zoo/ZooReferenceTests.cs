using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using DslOptim.Optimizers;
using DslOptim.Tests.Infrastructure;
using Xunit;
using Sched = DslOptim.Schedules;

namespace DslOptim.Tests.Zoo;

/// <summary>
/// The ready optimizers torch has no twin of here — <see cref="Lion"/> and <see cref="AdamFig1"/> — against scalar
/// loops written from their formulas (Lion's paper, Alg. 2; the notes' Fig. 1), not from the generated code: every
/// length 0…64 at offsets 0…15 inside a canary-filled buffer and 1,000,003 at offset 0, five steps each; bad
/// arguments throw before anything is written; a step allocates nothing.
/// </summary>
public sealed class ZooReferenceTests
{
    private const double Canary = 12345.678;
    private const int Steps = 5;

    /// <summary>A scalar reference: advances w and its per-element states by one step, in the arithmetic of <typeparamref name="TR"/>.</summary>
    private abstract class Reference
    {
        public abstract int States { get; }

        public abstract void Step<TR>(TR[] w, TR[] g, TR[][] s, long t)
            where TR : unmanaged, IFloatingPointIeee754<TR>;
    }

    /// <summary>
    /// Lion (Chen et al., 2023, Alg. 2): c = β₁m + (1 − β₁)g, w ← w − η_t(sign(c) + λw), m ← β₂m + (1 − β₂)g. It runs in
    /// the kernel's own precision, with the double hyperparameters rounded to it: sign(c) is discontinuous, so c must
    /// be rounded the same way for the comparison to be meaningful where c is near 0.
    /// </summary>
    private sealed class LionReference : Reference
    {
        private readonly Lion _lion;

        public LionReference(Lion lion) => _lion = lion;

        public override int States => 2;

        public override void Step<TR>(TR[] w, TR[] g, TR[][] s, long t)
        {
            var beta1 = TR.CreateTruncating(_lion.Beta1);
            var oneMinusBeta1 = TR.CreateTruncating(1 - _lion.Beta1);
            var beta2 = TR.CreateTruncating(_lion.Beta2);
            var oneMinusBeta2 = TR.CreateTruncating(1 - _lion.Beta2);
            var lr = TR.CreateTruncating(_lion.Schedule?.At(t) ?? _lion.Lr);
            var decay = TR.CreateTruncating(_lion.WeightDecay);
            for (var i = 0; i < w.Length; i++)
            {
                var c = beta1 * s[1][i] + oneMinusBeta1 * g[i];
                var sign = c > TR.Zero ? TR.One : c < TR.Zero ? -TR.One : TR.Zero;
                s[0][i] = c;
                w[i] = w[i] - lr * (sign + decay * w[i]);
                s[1][i] = beta2 * s[1][i] + oneMinusBeta2 * g[i];
            }
        }
    }

    /// <summary>The notes' Fig. 1, step 2 (b)–(e), literally; run in double.</summary>
    private sealed class Fig1Reference : Reference
    {
        private readonly AdamFig1 _adam;

        public Fig1Reference(AdamFig1 adam) => _adam = adam;

        public override int States => 3;

        public override void Step<TR>(TR[] w, TR[] g, TR[][] s, long t)
        {
            double b1 = _adam.Beta1, b2 = _adam.Beta2, eps = _adam.Eps;
            var schedule = _adam.Schedule?.At(t) ?? 1.0;                        // s_t
            var eta = schedule * _adam.Lr;                                         // η_t = s_t·η_max
            var lambda = _adam.DecoupledWd != 0 ? schedule * _adam.WeightDecay : eta * _adam.WeightDecay;
            for (var i = 0; i < w.Length; i++)
            {
                var gi = double.CreateTruncating(g[i]);
                var m = b1 * double.CreateTruncating(s[0][i]) + (1 - b1) * gi;
                var v = b2 * double.CreateTruncating(s[1][i]) + (1 - b2) * gi * gi;
                var mBar = _adam.Nesterov != 0
                    ? b1 / (1 - Math.Pow(b1, t + 1)) * m + (1 - b1) / (1 - Math.Pow(b1, t)) * gi
                    : m / (1 - Math.Pow(b1, t));
                var vBar = v / (1 - Math.Pow(b2, t));
                var vBarMax = Math.Max(double.CreateTruncating(s[2][i]), vBar);
                if (_adam.AmsGrad != 0)
                {
                    vBar = vBarMax;
                }
                var wi = double.CreateTruncating(w[i]);
                w[i] = TR.CreateTruncating((1 - lambda) * wi - eta / Math.Sqrt(vBar + eps) * mBar);
                s[0][i] = TR.CreateTruncating(m);
                s[1][i] = TR.CreateTruncating(v);
                s[2][i] = TR.CreateTruncating(vBarMax);
            }
        }
    }

    /// <summary>Lion's configurations: the paper's defaults, and a larger step with weight decay and a schedule.</summary>
    private static IEnumerable<Lion> Lions()
    {
        yield return new Lion();
        yield return new Lion { Lr = 0.01, Beta1 = 0.8, Beta2 = 0.95, WeightDecay = 0.5, Schedule = Sched.Cosine(0.01, 4, 1e-3, warmupSteps: 1) };
    }

    /// <summary>Fig. 1 with each flag alone, all flags with a schedule, and ε = 0.</summary>
    private static IEnumerable<AdamFig1> Fig1s()
    {
        yield return new AdamFig1();
        yield return new AdamFig1 { Lr = 0.01, AmsGrad = 1 };
        yield return new AdamFig1 { Lr = 0.01, Nesterov = 1, Beta1 = 0.8 };
        yield return new AdamFig1 { Lr = 0.02, DecoupledWd = 1, WeightDecay = 0.1, Schedule = Sched.Cosine(1.0, 4, 0.1) };
        yield return new AdamFig1 { Lr = 0.05, AmsGrad = 1, Nesterov = 1, DecoupledWd = 1, WeightDecay = 0.05, Eps = 0, Schedule = Sched.LinearWarmup(1.0, 3, 0.25) };
    }

    [Fact]
    public void Lion_equals_its_reference_in_double_and_float()
    {
        foreach (var lion in Lions())
        {
            var reference = new LionReference(lion);
            Sweep<double, Lion.State<double>, double>(reference, lion.CreateState<double>, (w, g, s, t) => lion.Step(w, g, s, t), s => [D(s.C), D(s.M)], 1e-13);
            Sweep<float, Lion.State<float>, float>(reference, lion.CreateState<float>, (w, g, s, t) => lion.Step(w, g, s, t), s => [D(s.C), D(s.M)], 1e-6);
        }
    }

    [Fact]
    public void AdamFig1_equals_the_notes_figure_in_double_and_float()
    {
        foreach (var adam in Fig1s())
        {
            var reference = new Fig1Reference(adam);
            Sweep<double, AdamFig1.State<double>, double>(reference, adam.CreateState<double>, (w, g, s, t) => adam.Step(w, g, s, t), s => [D(s.M), D(s.V), D(s.VMax)], 1e-12);
            Sweep<float, AdamFig1.State<float>, double>(reference, adam.CreateState<float>, (w, g, s, t) => adam.Step(w, g, s, t), s => [D(s.M), D(s.V), D(s.VMax)], 1e-5);
        }
    }

    [Fact]
    public void AdamFig1_flags_change_what_the_figure_says_they_change()
    {
        // One element, two steps with a shrinking gradient so that v̄max ≠ v̄ at step 2.
        static double Run(AdamFig1 adam)
        {
            var state = adam.CreateState<double>(1);
            double[] w = [0.5];
            adam.Step(w, [1.0], state, 1);
            adam.Step(w, [0.01], state, 2);
            return w[0];
        }
        var plain = Run(new AdamFig1 { Lr = 0.1 });
        Assert.NotEqual(plain, Run(new AdamFig1 { Lr = 0.1, AmsGrad = 1 }));
        Assert.NotEqual(plain, Run(new AdamFig1 { Lr = 0.1, Nesterov = 1 }));
        Assert.NotEqual(plain, Run(new AdamFig1 { Lr = 0.1, DecoupledWd = 1 }));
        // Decoupled with s_t = 1: λ_t = λ_max, so two steps of decay alone scale w by (1 − λ_max)² exactly.
        var decayOnly = new AdamFig1 { Lr = 1e-300, WeightDecay = 0.25, DecoupledWd = 1 };
        Assert.Equal(0.5 * 0.75 * 0.75, Run(decayOnly), 15);
    }

    [Fact]
    public void A_state_or_gradient_of_the_wrong_length_throws_before_anything_is_written()
    {
        var lion = new Lion { WeightDecay = 0.1 };
        CheckRejects<double, Lion.State<double>>(lion.CreateState<double>, (w, g, s, t) => lion.Step(w, g, s, t), (s, x) => { s.C.Fill(x); s.M.Fill(x); }, s => [D(s.C), D(s.M)]);
        CheckRejects<float, Lion.State<float>>(lion.CreateState<float>, (w, g, s, t) => lion.Step(w, g, s, t), (s, x) => { s.C.Fill(x); s.M.Fill(x); }, s => [D(s.C), D(s.M)]);
        var adam = new AdamFig1 { AmsGrad = 1, Nesterov = 1 };
        CheckRejects<double, AdamFig1.State<double>>(adam.CreateState<double>, (w, g, s, t) => adam.Step(w, g, s, t), (s, x) => { s.M.Fill(x); s.V.Fill(x); s.VMax.Fill(x); }, s => [D(s.M), D(s.V), D(s.VMax)]);
        CheckRejects<float, AdamFig1.State<float>>(adam.CreateState<float>, (w, g, s, t) => adam.Step(w, g, s, t), (s, x) => { s.M.Fill(x); s.V.Fill(x); s.VMax.Fill(x); }, s => [D(s.M), D(s.V), D(s.VMax)]);

        var state = lion.CreateState<double>(4);
        Assert.Throws<InvalidOperationException>(() => default(Lion).Step(new double[4], new double[4], state, 1));
        Assert.Throws<InvalidOperationException>(() => default(AdamFig1).Step(new double[4], new double[4], adam.CreateState<double>(4), 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => lion.CreateState<double>(-1));
    }

    [Fact]
    public void Steps_allocate_nothing_after_warm_up()
    {
        foreach (var length in new[] { 10_000, 1_000_003 })
        {
            var lion = new Lion { WeightDecay = 0.1, Schedule = Sched.Cosine(1e-3, 100, 1e-5, warmupSteps: 10) };
            var adam = new AdamFig1 { AmsGrad = 1, Nesterov = 1, DecoupledWd = 1, Schedule = Sched.Cosine(1.0, 100, 0.01) };
            var lionState = lion.CreateState<double>(length);
            var adamState = adam.CreateState<float>(length);
            var w = new double[length];
            var g = Enumerable.Range(0, length).Select(i => Math.Sin(i)).ToArray();
            var wf = new float[length];
            var gf = g.Select(x => (float)x).ToArray();
            var steps = length > 100_000 ? 20 : 500;
            long allocated = Allocation.OverCollectionFreeWindow(
                i =>
                {
                    lion.Step(w, g, lionState, i + 1);
                    adam.Step(wf, gf, adamState, i + 1);
                },
                steps,
                warmUp: 60); // past tiered compilation's 30-call promotion, so no JIT work lands in the window
            Assert.Equal(0, allocated);
        }
    }

    private delegate void StepWith<T, TState>(Span<T> w, ReadOnlySpan<T> g, TState state, long t);

    private static double[] D<T>(Span<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = double.CreateTruncating(values[i]);
        }
        return result;
    }

    /// <summary>
    /// Lengths 0…64 at offsets 0…15 in a buffer with canaries on both sides, and 1,000,003 at offset 0; five steps each
    /// with gradients whose size alternates (so that AMSGrad's maximum matters). The reference runs in
    /// <typeparamref name="TR"/> on a copy; w and every state must agree to <paramref name="tolerance"/>
    /// (<see cref="Tolerance.Close"/>) and the canaries must be untouched.
    /// </summary>
    private static void Sweep<T, TState, TR>(Reference reference, Func<int, TState> create, StepWith<T, TState> step, Func<TState, double[][]> states, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TR : unmanaged, IFloatingPointIeee754<TR>
    {
        var cases = Enumerable.Range(0, 16).SelectMany(offset => Enumerable.Range(0, 65).Select(n => (n, offset))).Append((1_000_003, 0));
        foreach (var (length, offset) in cases)
        {
            var random = new Random(length * 31 + offset);
            var buffer = new T[length + offset + 5];
            Array.Fill(buffer, T.CreateTruncating(Canary));
            var w = buffer.AsSpan(offset, length);
            for (var i = 0; i < length; i++)
            {
                w[i] = T.CreateTruncating(random.NextDouble() - 0.5);
            }
            var expectedW = new TR[length];
            for (var i = 0; i < length; i++)
            {
                expectedW[i] = TR.CreateTruncating(w[i]);
            }
            var expectedStates = Enumerable.Range(0, reference.States).Select(_ => new TR[length]).ToArray();
            var state = create(length);
            var g = new T[length];
            var gReference = new TR[length];
            for (long t = 1; t <= Steps; t++)
            {
                var scale = t % 2 == 0 ? 0.05 : 1.0;
                for (var i = 0; i < length; i++)
                {
                    g[i] = T.CreateTruncating(scale * (2 * random.NextDouble() - 1));
                    gReference[i] = TR.CreateTruncating(g[i]);
                }
                step(w, g, state, t);
                reference.Step(expectedW, gReference, expectedStates, t);
            }

            for (var i = 0; i < length; i++)
            {
                var actual = double.CreateTruncating(w[i]);
                var expected = double.CreateTruncating(expectedW[i]);
                if (!Tolerance.Close(actual, expected, tolerance))
                {
                    Assert.Fail($"{typeof(T).Name} w[{i}], length {length}, offset {offset}: {actual:R} against {expected:R}");
                }
            }
            var actualStates = states(state);
            for (var k = 0; k < reference.States; k++)
            {
                for (var i = 0; i < length; i++)
                {
                    var expected = double.CreateTruncating(expectedStates[k][i]);
                    if (!Tolerance.Close(actualStates[k][i], expected, tolerance))
                    {
                        Assert.Fail($"{typeof(T).Name} state {k}[{i}], length {length}, offset {offset}: {actualStates[k][i]:R} against {expected:R}");
                    }
                }
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

    /// <summary>
    /// A state one element too long or too short, and a gradient of the wrong length, are rejected with
    /// <see cref="ArgumentException"/> before w or any state changes; so is t = 0.
    /// </summary>
    private static void CheckRejects<T, TState>(Func<int, TState> create, StepWith<T, TState> step, Action<TState, T> fill, Func<TState, double[][]> states)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TState : class
    {
        foreach (var length in new[] { 1, 8, 37 })
        {
            var w = Enumerable.Range(0, length).Select(i => T.CreateTruncating(0.1 * i - 1)).ToArray();
            var before = (T[])w.Clone();
            var g = Enumerable.Repeat(T.CreateTruncating(0.5), length).ToArray();
            foreach (var wrong in new[] { length - 1, length + 1 })
            {
                var state = create(wrong);
                fill(state, T.CreateTruncating(0.25));
                Assert.Throws<ArgumentException>(() => step(w, g, state, 1));
                Assert.Equal(before, w);
                Assert.All(states(state), buffer => Assert.All(buffer, x => Assert.Equal(0.25, x)));
            }

            var right = create(length);
            fill(right, T.CreateTruncating(0.25));
            Assert.Throws<ArgumentException>(() => step(w, g.AsSpan(0, length - 1), right, 1));
            Assert.Throws<ArgumentException>(() => step(w.AsSpan(0, length - 1), g.AsSpan(0, length - 1), right, 1));
            Assert.Throws<ArgumentOutOfRangeException>(() => step(w, g, right, 0));
            Assert.Throws<ArgumentNullException>(() => step(w, g, null!, 1));
            Assert.Equal(before, w);
            Assert.All(states(right), buffer => Assert.All(buffer, x => Assert.Equal(0.25, x)));
        }
    }
}
