using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Xunit;
using static DslOptim.Tests.Parameters.ParameterSetData;
using ReadyAdam = DslOptim.Optimizers.Adam;

namespace DslOptim.Tests.Parameters;

/// <summary>ParameterSet steps equal per-tensor steps, clip like torch, and refuse bad input before writing.</summary>
/// <remarks>
/// In the workers collection: these sets are large enough to run on the process-wide helpers, which would otherwise be
/// busy when the linear-model tests need proof that their own calls were shared.
/// </remarks>
[Collection(DslOptim.Tests.LinearModel.WorkersCollection.Name)]
public sealed class ParameterSetTests
{
    [Fact]
    public void Stateless_set_step_equals_per_tensor_steps_bitwise()
    {
        var (w, g) = Random<double>(100, 10_000, seed: 1);
        var expected = Clone(w);
        var set = Set(w, g);
        var opt = new SoftSignDecay();
        for (long t = 1; t <= 3; t++)
        {
            NextGradients(g, t);
            opt.Step(set, t);
            for (int i = 0; i < expected.Length; i++)
            {
                opt.Step(expected[i], g[i], t);
            }
        }

        AssertBitwiseEqual(expected, w);
        Assert.NotEqual(expected[0][0], Random<double>(100, 10_000, seed: 1).W[0][0]); // the weights moved
    }

    [Fact]
    public void Stateless_float_set_step_equals_per_tensor_steps_bitwise()
    {
        var (w, g) = Random<float>(100, 10_000, seed: 2);
        var expected = Clone(w);
        var set = Set(w, g);
        var opt = new SoftSignDecay();
        for (long t = 1; t <= 3; t++)
        {
            NextGradients(g, t);
            opt.Step(set, t);
            for (int i = 0; i < expected.Length; i++)
            {
                opt.Step(expected[i], g[i], t);
            }
        }

        AssertBitwiseEqual(expected, w);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void Adam_set_step_equals_per_tensor_steps_bitwise_and_lays_the_state_out_by_offsets(int seed)
    {
        var (w, g) = Random<double>(100, 10_000, seed);
        var expected = Clone(w);
        var set = Set(w, g);
        var adam = new ReadyAdam { Lr = 1e-2 };
        var state = adam.CreateState(set);
        var states = expected.Select(e => adam.CreateState<double>(e.Length)).ToArray();
        for (long t = 1; t <= 5; t++)
        {
            NextGradients(g, t);
            adam.Step(set, state, t);
            for (int i = 0; i < expected.Length; i++)
            {
                adam.Step(expected[i], g[i], states[i], t);
            }
        }

        AssertBitwiseEqual(expected, w);
        Assert.Equal(expected.Sum(e => e.Length), state.Length);
        Assert.Same(set, state.ParameterSet);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(state.M.Slice(set.OffsetOf(i), expected[i].Length).SequenceEqual(states[i].M));
            Assert.True(state.V.Slice(set.OffsetOf(i), expected[i].Length).SequenceEqual(states[i].V));
        }
    }

    [Fact]
    public void Adam_float_set_step_equals_per_tensor_steps_bitwise()
    {
        var (w, g) = Random<float>(100, 10_000, seed: 5);
        var expected = Clone(w);
        var set = Set(w, g);
        var adam = new ReadyAdam { Lr = 1e-2 };
        var state = adam.CreateState(set);
        var states = expected.Select(e => adam.CreateState<float>(e.Length)).ToArray();
        for (long t = 1; t <= 5; t++)
        {
            NextGradients(g, t);
            adam.Step(set, state, t);
            for (int i = 0; i < expected.Length; i++)
            {
                adam.Step(expected[i], g[i], states[i], t);
            }
        }

        AssertBitwiseEqual(expected, w);
    }

    [Theory]
    [InlineData("clipped")]
    [InlineData("unclipped")]
    public void Global_norm_clipping_equals_torch_clip_grad_norm(string name)
    {
        var rows = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "ReferenceData", "parameter_set_clipping.csv"))
            .Skip(1).Select(line => line.Split(',')).Where(f => f[0] == name).ToArray();
        Assert.Equal(100, rows.Length);
        double Parse(string text) => double.Parse(text, CultureInfo.InvariantCulture);
        double maxNorm = Parse(rows[0][1]);
        double torchNorm = Parse(rows[0][2]);

        var lengths = ReferenceLengths();
        var w = new double[lengths.Length][];
        var g = new double[lengths.Length][];
        for (int i = 0; i < lengths.Length; i++)
        {
            (w[i], g[i]) = ReferenceTensor(i, lengths[i]);
            Assert.Equal(int.Parse(rows[i][4], CultureInfo.InvariantCulture), lengths[i]);
        }

        var set = Set(w, g);
        // torch sums per-tensor norms' squares, DslOptim every square in fixed chunks: equal up to rounding.
        Assert.Equal(torchNorm, set.GradientNorm(), torchNorm * 1e-14);
        Assert.True(name == "clipped" ? torchNorm > maxNorm : torchNorm < maxNorm);

        new TorchClippedSgd { MaxNorm = maxNorm }.Step(set, 1);

        for (int i = 0; i < lengths.Length; i++)
        {
            int n = lengths[i];
            AssertClose(Parse(rows[i][5]), w[i][0]);
            AssertClose(Parse(rows[i][6]), w[i][n / 2]);
            AssertClose(Parse(rows[i][7]), w[i][n - 1]);
            double sumSquares = w[i].Sum(x => x * x);
            Assert.Equal(Parse(rows[i][8]), sumSquares, Parse(rows[i][8]) * 1e-13);
        }

        // Weights are O(1): 1e-15 absolute is a few ulps of the update's rounding, far below the clip's effect (~1e-2).
        static void AssertClose(double expected, double actual) => Assert.Equal(expected, actual, 1e-15);
    }

    [Fact]
    public void Global_norm_is_the_norm_of_all_gradients_and_zero_gradients_move_nothing()
    {
        var (w, g) = Random<double>(20, 50_000, seed: 6);
        var set = Set(w, g);
        double direct = Math.Sqrt(Flatten(g).Sum(x => x * x));
        Assert.Equal(direct, set.GradientNorm(), direct * 1e-14);
        Assert.Equal(Math.Sqrt(Flatten(w).Sum(x => x * x)), set.WeightNorm(), 1e-10);

        foreach (var gi in g)
        {
            Array.Clear(gi);
        }

        var before = Clone(w);
        new TorchClippedSgd().Step(set, 1);
        AssertBitwiseEqual(before, w);
    }

    [Fact]
    public void Mismatched_lengths_and_overlaps_are_refused_at_registration()
    {
        var set = new ParameterSet<double>();
        var w = new double[10];
        set.Add(w, new double[10]);

        var error = Assert.Throws<ArgumentException>(() => set.Add(new double[5], new double[6]));
        Assert.Contains("6", error.Message);
        Assert.Contains("5", error.Message);
        var shared = new double[20];
        Assert.Throws<ArgumentException>(() => set.Add(shared.AsMemory(0, 10), shared.AsMemory(5, 10)));
        Assert.Throws<ArgumentException>(() => set.Add(w.AsMemory(2, 3), new double[3]));
        Assert.Throws<ArgumentException>(() => set.Add(new double[4], w.AsMemory(0, 4)));
        Assert.Equal(1, set.Count);
        Assert.Equal(10, set.Length);

        // g may be w itself (w ← u(w, w)).
        var same = new double[3];
        Assert.Equal(1, set.Add(same, same));
    }

    [Fact]
    public void A_state_of_another_set_or_of_a_length_is_refused_before_any_write()
    {
        var (w, g) = Random<double>(10, 100, seed: 7);
        var (w2, g2) = Random<double>(10, 100, seed: 7); // the same shapes: only the identity differs
        var set = Set(w, g);
        var other = Set(w2, g2);
        var adam = new ReadyAdam();
        var foreign = adam.CreateState(other);
        var forLength = adam.CreateState<double>(set.Length);
        foreign.M.Fill(0.25);
        var before = Clone(w);

        var error = Assert.Throws<ArgumentException>(() => adam.Step(set, foreign, 1));
        Assert.Equal("state", error.ParamName);
        Assert.Contains("another parameter set", error.Message);
        Assert.Throws<ArgumentException>(() => adam.Step(set, forLength, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.Step(set, adam.CreateState(set), 0));

        AssertBitwiseEqual(before, w);
        Assert.All(foreign.M.ToArray(), m => Assert.Equal(0.25, m));
        Assert.All(forLength.V.ToArray(), v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void A_frozen_set_takes_no_more_tensors()
    {
        var set = new ParameterSet<float>();
        set.Add(new float[3], new float[3]);
        _ = new ReadyAdam().CreateState(set);

        Assert.True(set.IsFrozen);
        Assert.Throws<InvalidOperationException>(() => set.Add(new float[3], new float[3]));
        Assert.Equal(1, set.Count);
    }

    [Fact]
    public void Empty_tensors_and_an_empty_set_step_without_error()
    {
        var empty = new ParameterSet<double>();
        new SoftSignDecay().Step(empty, 1);
        new TorchClippedSgd().Step(empty, 1);
        new ReadyAdam().Step(empty, new ReadyAdam().CreateState(empty), 1);

        var w = new[] { Array.Empty<double>(), new[] { 1.0, 2.0 }, Array.Empty<double>() };
        var g = new[] { Array.Empty<double>(), new[] { 0.5, -0.5 }, Array.Empty<double>() };
        var expected = Clone(w);
        var set = Set(w, g);
        new SoftSignDecay().Step(set, 1);
        new SoftSignDecay().Step(expected[1], g[1], 1);
        AssertBitwiseEqual(expected, w);
    }

    [Fact]
    public void A_set_state_resumed_from_a_checkpoint_is_bitwise_the_uninterrupted_run()
    {
        var (w, g) = Random<double>(30, 3_000, seed: 8);
        var w2 = Clone(w);
        var g2 = Clone(g);
        var adam = new ReadyAdam { Lr = 1e-2 };
        var set = Set(w, g);
        var state = adam.CreateState(set);
        var resumedSet = Set(w2, g2);
        var resumed = adam.CreateState(resumedSet);
        using var stream = new MemoryStream();
        for (long t = 1; t <= 20; t++)
        {
            NextGradients(g, t);
            adam.Step(set, state, t);
            if (t <= 10)
            {
                NextGradients(g2, t);
                adam.Step(resumedSet, resumed, t);
            }

            if (t == 10)
            {
                adam.SaveState(resumed, stream, t);
            }
        }

        var fresh = adam.CreateState(resumedSet);
        stream.Position = 0;
        long next = adam.LoadState(fresh, stream) + 1;
        Assert.Equal(11, next);
        for (long t = next; t <= 20; t++)
        {
            NextGradients(g2, t);
            adam.Step(resumedSet, fresh, t);
        }

        AssertBitwiseEqual(w, w2);
        Assert.True(state.M.SequenceEqual(fresh.M));
        Assert.True(state.V.SequenceEqual(fresh.V));
    }
}
