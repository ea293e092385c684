using System;
using System.IO;
using System.Runtime.CompilerServices;
using StudioPS.Http;

namespace StudioPS.Datasets;

/// <summary>
/// Writes a part's bytes to its file in pieces of at most <see cref="Most"/> bytes (60 KiB).
/// </summary>
/// <remarks>
/// Linux 6.x caches a file in folios sized by each write: a write that covers a 64 KiB-aligned 64 KiB range or more
/// gets a 64 KiB or larger folio, a shorter one pages of 4-32 KiB. On a VM whose host takes back the guest's free
/// memory (virtio-balloon free page reporting, as on this project's Firecracker machine), the large folios come
/// from memory the host must map again, and writing 1 GiB in aligned 64 KiB writes took 0.5-2.1 s of kernel time
/// against 0.2-0.3 s in 60 KiB writes (docs/PERFORMANCE.md, save-1g). A decoded Studio part is written in 64 KiB
/// blocks at 64 KiB-aligned offsets, so without this it paid that cost on every block. Elsewhere the cut costs
/// one extra system call per block.
/// </remarks>
internal static class PageCacheWrites
{
    /// <summary>The most one write call carries: 15 pages, under the 16 that make the kernel use a 64 KiB folio.</summary>
    public const int Most = 60 * 1024;

    [MethodImpl(HotPath.Optimized)]
    public static void Write(Stream file, byte[] data, int offset, int count)
    {
        while (count > Most)
        {
            file.Write(data, offset, Most);
            offset += Most;
            count -= Most;
        }
        if (count > 0) file.Write(data, offset, count);
    }
}
