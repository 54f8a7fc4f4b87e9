using System;
using System.IO;
using System.Linq;
using Xunit;
using ZooAdam = DslOptim.Optimizers.Adam;
using ZooNAdam = DslOptim.Optimizers.NAdam;

namespace DslOptim.Tests.State;

/// <summary>Checkpoints: a resumed run is bitwise the uninterrupted one; a bad checkpoint throws and changes nothing.</summary>
public class CheckpointTests
{
    private const int Length = 1000;

    private static double[] Gradient(double[] w, long t)
        => w.Select((x, i) => Math.Sin(0.01 * i + 0.1 * t) + 0.5 * x).ToArray();

    [Fact]
    public void Resuming_at_step_100_of_200_is_bitwise_the_uninterrupted_run()
    {
        var optimizer = new ZooNAdam();   // per-element states and a scalar state (the μ product)
        var uninterrupted = Enumerable.Range(0, Length).Select(i => Math.Cos(i)).ToArray();
        var state = optimizer.CreateState<double>(Length);
        for (long t = 1; t <= 200; t++)
        {
            optimizer.Step(uninterrupted, Gradient(uninterrupted, t), state, t);
        }

        var resumed = Enumerable.Range(0, Length).Select(i => Math.Cos(i)).ToArray();
        var first = optimizer.CreateState<double>(Length);
        using var checkpoint = new MemoryStream();
        for (long t = 1; t <= 100; t++)
        {
            optimizer.Step(resumed, Gradient(resumed, t), first, t);
        }
        optimizer.SaveState(first, checkpoint, 100);
        var weights = (double[])resumed.Clone();

        checkpoint.Position = 0;
        var second = optimizer.CreateState<double>(Length);
        var step = optimizer.LoadState(second, checkpoint);
        Assert.Equal(100, step);
        for (var t = step + 1; t <= 200; t++)
        {
            optimizer.Step(weights, Gradient(weights, t), second, t);
        }

        Assert.Equal(uninterrupted.Select(BitConverter.DoubleToInt64Bits), weights.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(BitConverter.DoubleToInt64Bits(state.MuProduct), BitConverter.DoubleToInt64Bits(second.MuProduct));
    }

    [Fact]
    public void Truncated_checkpoint_throws_and_leaves_the_state_unchanged()
    {
        var adam = new ZooAdam();
        var bytes = Saved(adam, Length);
        var state = Filled(adam, Length);

        var error = Assert.Throws<InvalidDataException>(() => adam.LoadState(state, new MemoryStream(bytes, 0, bytes.Length - 9)));

        Assert.Contains("truncated", error.Message);
        AssertFilled(state);
    }

    [Fact]
    public void Another_optimizer_is_named_in_the_message()
    {
        var bytes = Saved(new ZooNAdam(), Length);
        var adam = new ZooAdam();
        var state = Filled(adam, Length);

        var error = Assert.Throws<InvalidDataException>(() => adam.LoadState(state, new MemoryStream(bytes)));

        Assert.Contains("'NAdam', not 'Adam'", error.Message);
        AssertFilled(state);
    }

    [Fact]
    public void Other_hyperparameters_other_length_and_other_type_are_refused()
    {
        var adam = new ZooAdam();
        var bytes = Saved(adam, Length);

        var other = new ZooAdam { Beta2 = 0.99 };
        var state = Filled(other, Length);
        Assert.Contains("hyperparameters differ", Assert.Throws<InvalidDataException>(() => other.LoadState(state, new MemoryStream(bytes))).Message);
        AssertFilled(state);

        var shorter = Filled(adam, Length - 1);
        Assert.Contains($"holds {Length} elements, the state has {Length - 1}", Assert.Throws<InvalidDataException>(() => adam.LoadState(shorter, new MemoryStream(bytes))).Message);
        AssertFilled(shorter);

        var single = adam.CreateState<float>(Length);
        single.M.Fill(0.25f);
        Assert.Contains("holds double values, the state is float", Assert.Throws<InvalidDataException>(() => adam.LoadState(single, new MemoryStream(bytes))).Message);
        Assert.All(single.M.ToArray(), m => Assert.Equal(0.25f, m));
    }

    [Fact]
    public void A_set_state_is_refused_by_a_set_of_another_layout_or_a_state_of_one_length()
    {
        var adam = new ZooAdam();
        var saved = adam.CreateState(SetOf(300, 700));
        saved.M.Fill(1);
        using var stream = new MemoryStream();
        adam.SaveState(saved, stream, 7);
        var bytes = stream.ToArray();

        // Same total length (1000), other layout: the lengths alone would pass.
        var otherLayout = adam.CreateState(SetOf(700, 300));
        Fill(otherLayout);
        Assert.Contains("the 2 tensors of the set it was saved for have other lengths", Assert.Throws<InvalidDataException>(() => adam.LoadState(otherLayout, new MemoryStream(bytes))).Message);
        AssertFilled(otherLayout);

        var moreTensors = adam.CreateState(SetOf(300, 300, 400));
        Fill(moreTensors);
        Assert.Contains("saved for a parameter set of 2 tensors, the state's set has 3", Assert.Throws<InvalidDataException>(() => adam.LoadState(moreTensors, new MemoryStream(bytes))).Message);
        AssertFilled(moreTensors);

        var oneLength = Filled(adam, 1000);
        Assert.Contains("saved for a parameter set of 2 tensors, the state was created for a length", Assert.Throws<InvalidDataException>(() => adam.LoadState(oneLength, new MemoryStream(bytes))).Message);
        AssertFilled(oneLength);

        var sameLayout = adam.CreateState(SetOf(300, 700));
        Assert.Equal(7, adam.LoadState(sameLayout, new MemoryStream(bytes)));
        Assert.All(sameLayout.M.ToArray(), m => Assert.Equal(1, m));
    }

    [Fact]
    public void A_state_of_one_length_is_refused_by_a_set_state()
    {
        var adam = new ZooAdam();
        var bytes = Saved(adam, Length);
        var setState = adam.CreateState(SetOf(Length));
        Fill(setState);

        Assert.Contains("saved for a state of one length, the state belongs to a parameter set of 1 tensors", Assert.Throws<InvalidDataException>(() => adam.LoadState(setState, new MemoryStream(bytes))).Message);
        AssertFilled(setState);
    }

    [Fact]
    public void A_version_1_checkpoint_still_loads_as_a_state_of_one_length()
    {
        // Version 1 (before parameter-set layouts) wrote the same fields without Tensors and LayoutHash: rewrite a
        // version-2 checkpoint of a length state in that form, byte for byte.
        var adam = new ZooAdam();
        var v2 = Saved(adam, Length);
        var reader = new BinaryReader(new MemoryStream(v2));
        using var v1 = new MemoryStream();
        var writer = new BinaryWriter(v1);
        writer.Write(reader.ReadUInt32());
        Assert.Equal(2, reader.ReadInt32());
        writer.Write(1);
        writer.Write(reader.ReadString());
        writer.Write(reader.ReadUInt64());
        writer.Write(reader.ReadUInt64());
        writer.Write(reader.ReadString());
        writer.Write(reader.ReadInt32());
        writer.Write(reader.ReadInt64());
        writer.Write(reader.ReadInt32());
        writer.Write(reader.ReadInt32());
        Assert.Equal(0, reader.ReadInt32());   // Tensors
        Assert.Equal(0UL, reader.ReadUInt64()); // LayoutHash
        writer.Write(reader.ReadBytes(v2.Length));
        writer.Flush();

        var state = Filled(adam, Length);
        v1.Position = 0;
        Assert.Equal(7, adam.LoadState(state, v1));
        Assert.All(state.M.ToArray(), m => Assert.Equal(1, m));
    }

    [Fact]
    public void Not_a_checkpoint_is_refused()
    {
        var adam = new ZooAdam();
        var state = Filled(adam, Length);

        Assert.Throws<InvalidDataException>(() => adam.LoadState(state, new MemoryStream(new byte[64])));
        AssertFilled(state);
    }

    private static byte[] Saved<TOptimizer>(TOptimizer optimizer, int length)
    {
        using var stream = new MemoryStream();
        switch (optimizer)
        {
            case ZooAdam adam:
                var a = adam.CreateState<double>(length);
                a.M.Fill(1);
                adam.SaveState(a, stream, 7);
                break;
            case ZooNAdam nadam:
                var n = nadam.CreateState<double>(length);
                nadam.SaveState(n, stream, 7);
                break;
        }
        return stream.ToArray();
    }

    private static ZooAdam.State<double> Filled(ZooAdam adam, int length)
    {
        var state = adam.CreateState<double>(length);
        Fill(state);
        return state;
    }

    private static void Fill(ZooAdam.State<double> state)
    {
        state.M.Fill(0.5);
        state.V.Fill(0.75);
    }

    private static ParameterSet<double> SetOf(params int[] lengths)
    {
        var set = new ParameterSet<double>();
        foreach (var length in lengths)
        {
            set.Add(new double[length], new double[length]);
        }
        return set;
    }

    private static void AssertFilled(ZooAdam.State<double> state)
    {
        Assert.All(state.M.ToArray(), m => Assert.Equal(0.5, m));
        Assert.All(state.V.ToArray(), v => Assert.Equal(0.75, v));
    }
}
