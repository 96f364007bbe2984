// SPDX-License-Identifier: GPL-2.0

//! A namespace's routing tables in kernel memory (mainline `net->ipv6.fib_table_hash`):
//! the core's tries ([`crate::fib::Table`]) over slots in chunks that never move,
//! hashed by id.
//!
//! Lookups read the tables under RCU and take no lock, on any CPU, while a writer
//! changes them: the core keeps every slot a reader may be on whole, and this file
//! frees a slot for reuse only after a grace period (`start_poll_synchronize_rcu()`
//! when slots are set aside, `poll_state_synchronize_rcu()` before they are reused).
//! Writers take the tables' lock for writing, one at a time; walks that need the
//! writers out take it for reading. What the tables hold and how routes are looked up
//! are `crate::ipv6::ip6_fib`'s and the core's.

use crate::net::{
    lock::{BhRwLock, LockClass},
    rcu::Rcu,
};
use crate::{
    bindings,
    fib::{self, table, NoMem, Slot, Table, Writer},
};
use core::{
    ptr::{self, NonNull},
    sync::atomic::{AtomicPtr, AtomicUsize, Ordering},
};
use kernel::{alloc::flags::__GFP_ZERO, prelude::*};

/// A table's slots, in chunks that never move, so that readers may use a slot while
/// the writer makes more: chunks as [`fib::chunk_of`] lays them out, each about half
/// as large as all before it, so no slot is ever copied and a million routes take
/// about 30 chunks. Chunks are `kvmalloc`ed (a million routes need vmalloc) and
/// zeroed, which makes their slots free ones.
/// Requests make the next chunk ahead of the lock, where they may sleep ([`reserve`]);
/// one is made under the lock only for routes the kernel adds itself (from any
/// context, so atomically, and few).
pub(crate) struct KSlab {
    chunks: [AtomicPtr<Slot>; fib::CHUNKS],
    /// Slots made; the writer's.
    len: AtomicUsize,
}

/// A slot outside every chunk: free, as [`fib::Slab::get`] answers for one.
static NO_SLOT: Slot = Slot::new();

impl KSlab {
    pub(crate) fn new() -> Self {
        Self {
            chunks: [const { AtomicPtr::new(ptr::null_mut()) }; fib::CHUNKS],
            len: AtomicUsize::new(0),
        }
    }

    /// Chunks made so far: the first that is missing.
    pub(crate) fn chunks(&self) -> usize {
        self.chunks
            .iter()
            .position(|c| c.load(Ordering::Relaxed).is_null())
            .unwrap_or(fib::CHUNKS)
    }

    /// Slots the chunks made so far hold, free or not.
    pub(crate) fn capacity(&self) -> usize {
        fib::chunk_start(self.chunks())
    }

    /// A zeroed chunk `k`.
    pub(crate) fn alloc_chunk(k: usize, flags: kernel::alloc::Flags) -> Option<NonNull<Slot>> {
        let v = KVVec::<Slot>::with_capacity(fib::chunk_len(k), flags | __GFP_ZERO).ok()?;
        let (p, _, _) = v.into_raw_parts();
        NonNull::new(p)
    }

    /// Frees chunk `k` at `p`.
    ///
    /// # Safety
    /// `p` is from [`KSlab::alloc_chunk`] for `k`, and nothing uses it any more.
    pub(crate) unsafe fn free_chunk(k: usize, p: NonNull<Slot>) {
        // SAFETY: the vector `alloc_chunk` made, with its capacity; its slots need no
        // drop, so length 0 frees just the memory.
        drop(unsafe { KVVec::from_raw_parts(p.as_ptr(), 0, fib::chunk_len(k)) });
    }

    /// Makes `p` chunk `k` if that is the next one; returns `p` if it is not used.
    pub(crate) fn install(&self, k: usize, p: NonNull<Slot>) -> Option<NonNull<Slot>> {
        if k != self.chunks() {
            return Some(p);
        }
        // Published before any slot in it is: readers reach it through links stored
        // (with release) after this.
        self.chunks[k]
            .compare_exchange(
                ptr::null_mut(),
                p.as_ptr(),
                Ordering::Release,
                Ordering::Relaxed,
            )
            .err()
            .map(|_| p)
    }
}

impl fib::Slab for KSlab {
    fn len(&self) -> usize {
        self.len.load(Ordering::Relaxed)
    }

    fn get(&self, i: u32) -> &Slot {
        let (k, off) = fib::chunk_of(i as usize);
        let Some(c) = self.chunks.get(k) else {
            return &NO_SLOT;
        };
        let p = c.load(Ordering::Acquire);
        if p.is_null() {
            return &NO_SLOT;
        }
        // SAFETY: chunk `k` holds `chunk_len(k)` slots, `off` is below that, and it
        // lives until `drop`, which `&self` outlives. Its memory was zeroed, which is a
        // valid (free) slot, and every field of a slot is atomic, so sharing it is fine.
        unsafe { &*p.add(off) }
    }

    fn grow(&self) -> Result<u32, NoMem> {
        let n = self.len.load(Ordering::Relaxed);
        if n >= u32::MAX as usize {
            return Err(NoMem);
        }
        let (k, _) = fib::chunk_of(n);
        if k >= fib::CHUNKS {
            return Err(NoMem);
        }
        if self.chunks[k].load(Ordering::Relaxed).is_null() {
            let p = Self::alloc_chunk(k, GFP_ATOMIC).ok_or(NoMem)?;
            if let Some(p) = self.install(k, p) {
                // SAFETY: ours, never published.
                unsafe { Self::free_chunk(k, p) };
                return Err(NoMem);
            }
        }
        self.len.store(n + 1, Ordering::Release);
        Ok(n as u32)
    }
}

impl Drop for KSlab {
    fn drop(&mut self) {
        for (k, c) in self.chunks.iter().enumerate() {
            if let Some(p) = NonNull::new(c.load(Ordering::Relaxed)) {
                // SAFETY: made by `alloc_chunk` for `k`; `&mut self`: no reader left.
                unsafe { Self::free_chunk(k, p) };
            }
        }
    }
}

/// A table of a namespace.
pub(crate) type Tbl = Table<KSlab>;

/// Buckets of the tables' hash (`FIB6_TABLE_HASHSZ`).
const BUCKETS: usize = 256;

/// A table in its bucket's chain (mainline's `fib6_table` on `tb6_hlist`).
pub(crate) struct Hashed {
    table: Tbl,
    next: AtomicPtr<Hashed>,
    /// When the table's sealed slots may be reused (`start_poll_synchronize_rcu()`'s
    /// cookie); the writer's.
    gp: AtomicUsize,
}

/// The tables of one namespace: chains of [`Hashed`] by `id & 255`, the newest first,
/// which is also the order dumps visit them in, as mainline's. A table stays until the
/// namespace goes.
pub(crate) struct Fib {
    /// Writers take it for writing; walks that need them out, for reading.
    lock: BhRwLock<()>,
    heads: KBox<[AtomicPtr<Hashed>; BUCKETS]>,
}

// SAFETY: the tables behind `heads` are shared as `Tables` (read access, every field
// of a table is atomic) and changed only through `Writers`, under the write lock.
unsafe impl Send for Fib {}
// SAFETY: as above.
unsafe impl Sync for Fib {}

/// The tables, for reading: under RCU ([`Fib::rcu`]) or the read lock ([`Fib::read`]).
#[derive(Clone, Copy)]
pub(crate) struct Tables<'a> {
    heads: &'a [AtomicPtr<Hashed>; BUCKETS],
}

impl<'a> Tables<'a> {
    pub(crate) fn hashed(self) -> impl Iterator<Item = &'a Hashed> {
        self.heads.iter().flat_map(|h| {
            let mut p = h.load(Ordering::Acquire);
            core::iter::from_fn(move || {
                // SAFETY: a table stays until the namespace goes (`Fib::drop`), which
                // `'a` (the caller's borrow of the namespace's state) outlives; it was
                // filled before it was linked (release, paired with acquire here).
                let h = unsafe { p.as_ref()? };
                p = h.next.load(Ordering::Acquire);
                Some(h)
            })
        })
    }

    /// Every table, in dump order.
    pub(crate) fn iter(self) -> impl Iterator<Item = &'a Tbl> {
        self.hashed().map(|h| &h.table)
    }

    /// Table `id` in its chain.
    pub(crate) fn find_hashed(self, id: u32) -> Option<&'a Hashed> {
        let mut p = self.heads[id as usize % BUCKETS].load(Ordering::Acquire);
        // SAFETY: as in `hashed`.
        while let Some(h) = unsafe { p.as_ref() } {
            if h.table.id() == id {
                return Some(h);
            }
            p = h.next.load(Ordering::Acquire);
        }
        None
    }

    /// Table `id`.
    pub(crate) fn find(self, id: u32) -> Option<&'a Tbl> {
        self.find_hashed(id).map(|h| &h.table)
    }
}

/// The tables, for the one writer (under the write lock, [`Fib::write`]).
pub(crate) struct Writers<'a> {
    tables: Tables<'a>,
}

impl<'a> Writers<'a> {
    /// The tables as they are.
    pub(crate) fn tables(&self) -> Tables<'a> {
        self.tables
    }

    /// The writer of a table; slots set aside a grace period ago become free, and
    /// those unlinked since are set aside.
    pub(crate) fn writer(h: &'a Hashed) -> Writer<'a, KSlab> {
        let mut w = h.table.writer();
        let cookie = h.gp.load(Ordering::Relaxed);
        // SAFETY: plain call with a cookie `start_poll_synchronize_rcu()` gave.
        if w.waiting() && unsafe { bindings::poll_state_synchronize_rcu(cookie as _) } {
            w.reclaim();
        }
        if w.seal() {
            // Interrupts are on: the lock only turns bottom halves off.
            // SAFETY: plain call.
            let cookie = unsafe { bindings::start_poll_synchronize_rcu() };
            h.gp.store(cookie as usize, Ordering::Relaxed);
        }
        w
    }

    /// Table `id`'s writer.
    pub(crate) fn get(&mut self, id: u32) -> Option<Writer<'a, KSlab>> {
        self.tables.find_hashed(id).map(Self::writer)
    }

    /// Every table's writer, in dump order.
    pub(crate) fn all(&mut self) -> impl Iterator<Item = Writer<'a, KSlab>> {
        self.tables.hashed().map(Self::writer)
    }

    /// Table `id`'s writer, the table made if missing (`fib6_new_table()`).
    pub(crate) fn get_or_make(&mut self, id: u32) -> Result<Writer<'a, KSlab>, NoMem> {
        if let Some(w) = self.get(id) {
            return Ok(w);
        }
        let head = &self.tables.heads[id as usize % BUCKETS];
        let h = KBox::new(
            Hashed {
                table: Table::new(id, KSlab::new())?,
                next: AtomicPtr::new(head.load(Ordering::Relaxed)),
                gp: AtomicUsize::new(0),
            },
            GFP_ATOMIC,
        )
        .map_err(|_| NoMem)?;
        let p = KBox::into_raw(h);
        // Filled above; readers see it whole (acquire in `Tables`).
        head.store(p, Ordering::Release);
        // SAFETY: just linked; it lives as long as the tables (`'a`).
        Ok(Self::writer(unsafe { &*p }))
    }
}

impl Fib {
    /// The local and main tables, empty (`fib6_tables_init()`).
    pub(crate) fn new() -> Result<Self> {
        let heads = KBox::new(
            [const { AtomicPtr::new(ptr::null_mut()) }; BUCKETS],
            GFP_KERNEL,
        )?;
        let fib = Self {
            lock: BhRwLock::new((), LockClass::Fib)?,
            heads,
        };
        for id in [table::MAIN, table::LOCAL] {
            fib.write(|w| w.get_or_make(id).map(|_| ()))
                .map_err(|_| ENOMEM)?;
        }
        Ok(fib)
    }

    pub(crate) fn tables(&self) -> Tables<'_> {
        Tables { heads: &self.heads }
    }

    /// Runs `f` on the tables under RCU, beside the writer.
    pub(crate) fn rcu<R>(&self, f: impl FnOnce(Tables<'_>) -> R) -> R {
        let _rcu = Rcu::read_lock();
        f(self.tables())
    }

    /// Runs `f` on the tables with writers kept out.
    pub(crate) fn read<R>(&self, f: impl FnOnce(Tables<'_>) -> R) -> R {
        self.lock.read(|()| f(self.tables()))
    }

    /// Runs `f` as the tables' one writer.
    pub(crate) fn write<R>(&self, f: impl FnOnce(&mut Writers<'_>) -> R) -> R {
        self.lock.write(|_| {
            f(&mut Writers {
                tables: self.tables(),
            })
        })
    }
}

impl Drop for Fib {
    /// Runs when the namespace goes: its devices went before (device exits run before
    /// subsystem exits) and `cleanup_net()` waited for a grace period after its
    /// pre-exits, so no reader is left on any table.
    fn drop(&mut self) {
        for head in self.heads.iter() {
            let mut p = head.load(Ordering::Relaxed);
            while !p.is_null() {
                // SAFETY: from `get_or_make`'s `KBox`, freed only here; no reader left.
                let h = unsafe { KBox::from_raw(p) };
                p = h.next.load(Ordering::Relaxed);
            }
        }
    }
}

impl Fib {
    /// Makes the next chunk of table `id`'s slots ahead of the lock when a request
    /// may need it (see `ip6_fib::reserve`); may sleep.
    pub(crate) fn reserve(&self, id: u32) {
        let fib = self;
        let Some(k) = fib.read(|tables| {
            let t = tables.find(id)?;
            let s = t.slab();
            let spare = t.spare() + s.capacity() - fib::Slab::len(s);
            (spare < fib::ADD_SLOTS).then(|| s.chunks())
        }) else {
            return;
        };
        if k >= fib::CHUNKS {
            return;
        }
        let Some(p) = KSlab::alloc_chunk(k, GFP_KERNEL) else {
            return;
        };
        // Another writer may have made it meanwhile: then ours goes.
        if let Some(p) = fib.write(|w| match w.tables().find(id) {
            Some(t) => t.slab().install(k, p),
            None => Some(p),
        }) {
            // SAFETY: made above and not installed.
            unsafe { KSlab::free_chunk(k, p) };
        }
    }
}
