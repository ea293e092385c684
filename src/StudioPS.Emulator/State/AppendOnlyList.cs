namespace StudioPS.Emulator.State;

/// <summary>
/// A list that only grows: writers lock, readers do not. Listing 50,000 jobs therefore copies nothing and
/// never blocks job creation. Items are stored in fixed chunks so growing never moves published items.
/// </summary>
public sealed class AppendOnlyList<T> where T : class
{
    const int ChunkBits = 12;
    const int ChunkSize = 1 << ChunkBits;
    const int ChunkMask = ChunkSize - 1;

    readonly object _gate = new();
    T[][] _chunks = new T[16][];
    int _count;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Valid for 0 &lt;= index &lt; a Count read earlier.</summary>
    public T this[int index] => Volatile.Read(ref _chunks)[index >> ChunkBits][index & ChunkMask];

    public void Add(T item)
    {
        lock (_gate)
        {
            int i = _count;
            int chunk = i >> ChunkBits;
            if (chunk >= _chunks.Length)
            {
                var grown = new T[_chunks.Length * 2][];
                Array.Copy(_chunks, grown, _chunks.Length);
                Volatile.Write(ref _chunks, grown);
            }
            _chunks[chunk] ??= new T[ChunkSize];
            _chunks[chunk][i & ChunkMask] = item;
            // Publishing the count last makes the item visible to readers only once it is stored.
            Volatile.Write(ref _count, i + 1);
        }
    }
}
