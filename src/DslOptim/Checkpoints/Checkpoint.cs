using System;
using System.Collections.Generic;
using System.IO;
using System.Numerics;
using System.Text;

namespace DslOptim.Checkpoints;

/// <summary>
/// What a checkpoint says it holds; compared field by field with what the loading optimizer expects.
/// </summary>
/// <param name="Optimizer">The optimizer type's name.</param>
/// <param name="DeclarationHash">A hash of the declaration's formulas and states, fixed at compile time.</param>
/// <param name="HyperparameterHash">A hash of the hyperparameters' values at save time.</param>
/// <param name="ElementType">float or double.</param>
/// <param name="Length">The number of weights the state belongs to.</param>
/// <param name="Step">The step t the state was saved after.</param>
/// <param name="Buffers">The number of per-element states.</param>
/// <param name="Scalars">The number of scalar states.</param>
/// <param name="Tensors">For a state created for a <see cref="ParameterSet{T}"/>: the set's number of tensors; 0 for a
/// state created for a length.</param>
/// <param name="LayoutHash">For a parameter-set state: a hash of the tensors' lengths in order (see
/// <see cref="Checkpoint.LayoutOf{T}"/>), so that a state is not loaded into a set of the same total length but another
/// layout; 0 otherwise.</param>
public sealed record CheckpointHeader(string Optimizer, ulong DeclarationHash, ulong HyperparameterHash, string ElementType, int Length, long Step, int Buffers, int Scalars, int Tensors = 0, ulong LayoutHash = 0);

/// <summary>
/// The checkpoint format of optimizer states: a versioned header, then each per-element state's values and each
/// scalar state, little-endian. Generated <c>SaveState</c>/<c>LoadState</c> members use it; loading reads and checks
/// everything before the state is touched, so a truncated or mismatched checkpoint leaves the state unchanged.
/// </summary>
public static class Checkpoint
{
    private const uint Magic = 0x5450_4F44; // "DOPT"
    // Version 2 added the parameter-set layout (Tensors, LayoutHash); version 1 checkpoints read as states of one length.
    private const int Version = 2;

    /// <summary>Writes a checkpoint.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The buffers do not match the header.</exception>
    public static void Write<T>(Stream stream, CheckpointHeader header, IReadOnlyList<Memory<T>> buffers, IReadOnlyList<double> scalars)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(buffers);
        ArgumentNullException.ThrowIfNull(scalars);
        if (buffers.Count != header.Buffers || scalars.Count != header.Scalars)
        {
            throw new ArgumentException($"The header announces {header.Buffers} buffers and {header.Scalars} scalars, but {buffers.Count} and {scalars.Count} were given.", nameof(buffers));
        }
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write(header.Optimizer);
        writer.Write(header.DeclarationHash);
        writer.Write(header.HyperparameterHash);
        writer.Write(header.ElementType);
        writer.Write(header.Length);
        writer.Write(header.Step);
        writer.Write(header.Buffers);
        writer.Write(header.Scalars);
        writer.Write(header.Tensors);
        writer.Write(header.LayoutHash);
        foreach (var buffer in buffers)
        {
            if (buffer.Length != header.Length)
            {
                throw new ArgumentException($"A buffer has {buffer.Length} elements, the header says {header.Length}.", nameof(buffers));
            }
            foreach (var value in buffer.Span)
            {
                writer.Write(double.CreateTruncating(value));
            }
        }
        foreach (var scalar in scalars)
        {
            writer.Write(scalar);
        }
    }

    /// <summary>Reads a whole checkpoint into new arrays; nothing of the caller's is touched.</summary>
    /// <exception cref="InvalidDataException">The stream is not a checkpoint, has another version, or is truncated.</exception>
    public static (CheckpointHeader Header, T[][] Buffers, double[] Scalars) Read<T>(Stream stream)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            if (reader.ReadUInt32() != Magic)
            {
                throw new InvalidDataException("The stream is not a DslOptim checkpoint (wrong magic number).");
            }
            var version = reader.ReadInt32();
            if (version is < 1 or > Version)
            {
                throw new InvalidDataException($"The checkpoint has format version {version}; this DslOptim reads versions 1 to {Version}.");
            }
            var header = new CheckpointHeader(reader.ReadString(), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadString(),
                reader.ReadInt32(), reader.ReadInt64(), reader.ReadInt32(), reader.ReadInt32());
            if (version >= 2)
            {
                header = header with { Tensors = reader.ReadInt32(), LayoutHash = reader.ReadUInt64() };
            }
            if (header.Length < 0 || header.Buffers < 0 || header.Scalars < 0 || header.Buffers > 64 || header.Scalars > 64 || header.Tensors < 0)
            {
                throw new InvalidDataException($"The checkpoint's header is corrupt (length {header.Length}, {header.Buffers} buffers, {header.Scalars} scalars, {header.Tensors} tensors).");
            }
            var buffers = new T[header.Buffers][];
            for (var b = 0; b < buffers.Length; b++)
            {
                buffers[b] = new T[header.Length];
                for (var i = 0; i < header.Length; i++)
                {
                    buffers[b][i] = T.CreateTruncating(reader.ReadDouble());
                }
            }
            var scalars = new double[header.Scalars];
            for (var s = 0; s < scalars.Length; s++)
            {
                scalars[s] = reader.ReadDouble();
            }
            return (header, buffers, scalars);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The checkpoint is truncated: the stream ended before the state it announces.", e);
        }
    }

    /// <summary>Checks that a checkpoint fits what the loading optimizer expects; the message names every difference.</summary>
    /// <exception cref="InvalidDataException">Something differs.</exception>
    public static void Verify(CheckpointHeader expected, CheckpointHeader actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        var differences = new List<string>();
        if (expected.Optimizer != actual.Optimizer)
        {
            differences.Add($"it was saved by optimizer '{actual.Optimizer}', not '{expected.Optimizer}'");
        }
        else if (expected.DeclarationHash != actual.DeclarationHash)
        {
            differences.Add($"the declaration of '{expected.Optimizer}' changed since it was saved (declaration hash {actual.DeclarationHash:X16}, now {expected.DeclarationHash:X16})");
        }
        if (expected.HyperparameterHash != actual.HyperparameterHash)
        {
            differences.Add($"the hyperparameters differ (hash {actual.HyperparameterHash:X16} saved, {expected.HyperparameterHash:X16} now)");
        }
        if (expected.ElementType != actual.ElementType)
        {
            differences.Add($"it holds {actual.ElementType} values, the state is {expected.ElementType}");
        }
        if (expected.Length != actual.Length)
        {
            differences.Add($"it holds {actual.Length} elements, the state has {expected.Length}");
        }
        if (expected.Tensors != actual.Tensors)
        {
            differences.Add((expected.Tensors, actual.Tensors) switch
            {
                (0, _) => $"it was saved for a parameter set of {actual.Tensors} tensors, the state was created for a length",
                (_, 0) => $"it was saved for a state of one length, the state belongs to a parameter set of {expected.Tensors} tensors",
                _ => $"it was saved for a parameter set of {actual.Tensors} tensors, the state's set has {expected.Tensors}",
            });
        }
        else if (expected.LayoutHash != actual.LayoutHash)
        {
            differences.Add($"the {expected.Tensors} tensors of the set it was saved for have other lengths than the state's set (layout hash {actual.LayoutHash:X16} saved, {expected.LayoutHash:X16} now)");
        }
        if (expected.Buffers != actual.Buffers || expected.Scalars != actual.Scalars)
        {
            differences.Add($"it holds {actual.Buffers} per-element and {actual.Scalars} scalar states, the optimizer has {expected.Buffers} and {expected.Scalars}");
        }
        if (differences.Count > 0)
        {
            throw new InvalidDataException("The checkpoint does not fit: " + string.Join("; ", differences) + ". The state was left unchanged.");
        }
    }

    /// <summary>
    /// The layout a parameter-set state is saved with: the set's number of tensors and an FNV-1a hash of their lengths
    /// in registration order; (0, 0) for <c>null</c> (a state created for a length).
    /// </summary>
    public static (int Tensors, ulong LayoutHash) LayoutOf<T>(ParameterSet<T>? set)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (set is null)
        {
            return (0, 0);
        }
        var hash = 14695981039346656037UL;
        for (var i = 0; i < set.Count; i++)
        {
            var length = set.WeightsOf(i).Length;
            for (var b = 0; b < 4; b++)
            {
                hash = (hash ^ (byte)(length >> (8 * b))) * 1099511628211UL;
            }
        }
        return (set.Count, hash);
    }

    /// <summary>FNV-1a over the values' bits: a stable hash of the hyperparameters.</summary>
    public static ulong Hash(ReadOnlySpan<double> values)
    {
        var hash = 14695981039346656037UL;
        foreach (var value in values)
        {
            var bits = BitConverter.DoubleToInt64Bits(value);
            for (var i = 0; i < 8; i++)
            {
                hash = (hash ^ (byte)(bits >> (8 * i))) * 1099511628211UL;
            }
        }
        return hash;
    }
}
