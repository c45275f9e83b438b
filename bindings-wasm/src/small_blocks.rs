//! A cache of small freed blocks in front of the module's allocator (the Node module's
//! only: feature `small-blocks`).
//!
//! Preparing a request allocates and frees some thirty small blocks (strings, header
//! pairs, the tree of the application, the body). talc spends about 9 ns on each
//! allocation or free in Node 20; a `createApplication` call spent about 0.5 µs in it.
//! Freed blocks of up to 512 bytes are kept here instead, in 32 size classes of 16
//! bytes, and handed out again by the next allocation of their class: a pop and a push
//! on a list, inlined where the module allocates (0.3 µs less per call, measured). At
//! most [`DEPTH`] blocks per class are kept (at most 136 KiB); the rest go back to the
//! allocator behind. Like talc here, it assumes one thread: the module is built without
//! `atomics`. The web module keeps talc alone, 1 KB smaller gzipped.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;
use std::ptr;

/// Bytes between two size classes; also the alignment of every cached block.
const STEP: usize = 16;
/// Size classes: blocks of 16, 32, ... 512 bytes.
const CLASSES: usize = 32;
/// Freed blocks kept per class.
const DEPTH: u8 = 16;

/// `inner`, with a list of freed blocks per size class in front of it.
pub struct SmallBlocks<A: GlobalAlloc> {
    inner: A,
    /// The first free block of each class; each free block holds the address of the next.
    heads: [Cell<*mut u8>; CLASSES],
    counts: [Cell<u8>; CLASSES],
}

// SAFETY: the lists are plain cells, touched without synchronisation. The allocator is
// used only where there is one thread: the WebAssembly module built without `atomics`
// (see its cfg in lib.rs), and each test's own instance.
unsafe impl<A: GlobalAlloc + Sync> Sync for SmallBlocks<A> {}

impl<A: GlobalAlloc> SmallBlocks<A> {
    pub const fn new(inner: A) -> Self {
        SmallBlocks {
            inner,
            heads: [const { Cell::new(ptr::null_mut()) }; CLASSES],
            counts: [const { Cell::new(0) }; CLASSES],
        }
    }
}

/// The kept blocks go back to the allocator behind. (The module's allocator is a static,
/// never dropped; this is for instances of its own, as in the tests.)
impl<A: GlobalAlloc> Drop for SmallBlocks<A> {
    fn drop(&mut self) {
        for (class, head) in self.heads.iter().enumerate() {
            let mut block = head.replace(ptr::null_mut());
            while !block.is_null() {
                // SAFETY: a listed block (see `alloc`): its first word is the next one,
                // and it was allocated by `inner` with its class layout.
                unsafe {
                    let next = block.cast::<*mut u8>().read();
                    self.inner.dealloc(block, class_layout(class));
                    block = next;
                }
            }
            self.counts[class].set(0);
        }
    }
}

/// The class of a layout this cache serves: 1 to 512 bytes, alignment at most 16.
#[inline]
fn class_of(layout: Layout) -> Option<usize> {
    let size = layout.size();
    (size > 0 && size <= STEP * CLASSES && layout.align() <= STEP).then(|| (size - 1) / STEP)
}

/// The layout every block of `class` is allocated with, whatever size was asked for.
#[inline]
fn class_layout(class: usize) -> Layout {
    debug_assert!(class < CLASSES);
    // SAFETY: 16 is a power of two, and a size of at most 512 is a multiple of it that
    // cannot overflow when rounded up to it.
    unsafe { Layout::from_size_align_unchecked(STEP * (class + 1), STEP) }
}

unsafe impl<A: GlobalAlloc> GlobalAlloc for SmallBlocks<A> {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(class) = class_of(layout) else {
            // SAFETY: the caller's layout, passed on.
            return unsafe { inner_alloc(&self.inner, layout) };
        };
        let (head, count) = (&self.heads[class], &self.counts[class]);
        let block = head.get();
        if block.is_null() {
            // SAFETY: a non-zero size. Freed with the same class layout (`dealloc`).
            return unsafe { inner_alloc(&self.inner, class_layout(class)) };
        }
        // SAFETY: a listed block is a free block of this class (at least 16 bytes,
        // aligned to 16) whose first word `dealloc` set to the next listed block.
        head.set(unsafe { block.cast::<*mut u8>().read() });
        count.set(count.get() - 1);
        block
    }

    #[inline]
    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        let Some(class) = class_of(layout) else {
            // SAFETY: allocated by `inner` with this layout (`alloc`).
            return unsafe { inner_dealloc(&self.inner, block, layout) };
        };
        let (head, count) = (&self.heads[class], &self.counts[class]);
        if count.get() >= DEPTH {
            // SAFETY: every block of this class was allocated with its class layout.
            return unsafe { inner_dealloc(&self.inner, block, class_layout(class)) };
        }
        // SAFETY: the block belongs to this class (at least 16 bytes, aligned to 16) and
        // is no longer in use: its first word can hold the next listed block.
        unsafe { block.cast::<*mut u8>().write(head.get()) };
        head.set(block);
        count.set(count.get() + 1);
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else {
            return ptr::null_mut();
        };
        match (class_of(layout), class_of(new_layout)) {
            // The block is its class's size: it has room for the new size already.
            (Some(old), Some(new)) if old == new => block,
            // SAFETY: a block `inner` allocated with `layout`, passed on.
            (None, None) => unsafe { self.inner.realloc(block, layout, new_size) },
            _ => {
                // SAFETY: `new_layout` has the non-zero size the caller asked for.
                let moved = unsafe { self.alloc(new_layout) };
                if !moved.is_null() {
                    // SAFETY: two live, distinct blocks, each at least this long; the old
                    // one is freed with the layout it was allocated with.
                    unsafe {
                        ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
                        self.dealloc(block, layout);
                    }
                }
                moved
            }
        }
    }
}

// The allocator behind, called out of line: the lists' fast paths are inlined where the
// module allocates, without a copy of the allocator behind at every such place.
#[cold]
#[inline(never)]
unsafe fn inner_alloc<A: GlobalAlloc>(inner: &A, layout: Layout) -> *mut u8 {
    // SAFETY: the caller's contract (a layout of non-zero size).
    unsafe { inner.alloc(layout) }
}

#[cold]
#[inline(never)]
unsafe fn inner_dealloc<A: GlobalAlloc>(inner: &A, block: *mut u8, layout: Layout) {
    // SAFETY: the caller's contract (a block `inner` allocated with this layout).
    unsafe { inner.dealloc(block, layout) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::alloc::System;
    use std::collections::BTreeMap;

    /// A live block: where it is, its size, alignment and fill byte.
    struct Live {
        at: *mut u8,
        size: usize,
        align: usize,
        fill: u8,
    }

    impl Live {
        fn check_filled(&self, size: usize) {
            let bytes = unsafe { std::slice::from_raw_parts(self.at, size) };
            assert!(
                bytes.iter().all(|&b| b == self.fill),
                "a live block was overwritten"
            );
        }

        fn layout(&self) -> Layout {
            Layout::from_size_align(self.size, self.align).unwrap()
        }
    }

    #[test]
    fn blocks_stay_distinct_and_keep_their_contents() {
        let heap = SmallBlocks::new(System);
        // Live blocks by address.
        let mut live: BTreeMap<usize, Live> = BTreeMap::new();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        // Fewer steps under Miri (`make miri`), which checks every access.
        let steps = if cfg!(miri) { 1_000 } else { 200_000u32 };
        for step in 0..steps {
            let r = next();
            let size = match r % 4 {
                0 => 1 + (r >> 8) as usize % 16,
                1 | 2 => 1 + (r >> 8) as usize % 520,
                _ => 1 + (r >> 8) as usize % 4096,
            };
            let align = 1 << ((r >> 40) % 6); // 1 to 32
            let fill = step as u8;
            let pick = (r >> 20) as usize;
            match (r >> 48) % 3 {
                0 if !live.is_empty() => {
                    let address = *live.keys().nth(pick % live.len()).unwrap();
                    let block = live.remove(&address).unwrap();
                    block.check_filled(block.size);
                    unsafe { heap.dealloc(block.at, block.layout()) };
                }
                1 if !live.is_empty() => {
                    let address = *live.keys().nth(pick % live.len()).unwrap();
                    let block = live.remove(&address).unwrap();
                    block.check_filled(block.size);
                    let at = unsafe { heap.realloc(block.at, block.layout(), size) };
                    assert!(!at.is_null());
                    assert_eq!(at as usize % block.align, 0);
                    let moved = Live { at, ..block };
                    moved.check_filled(block.size.min(size));
                    unsafe { at.write_bytes(fill, size) };
                    live.insert(
                        at as usize,
                        Live {
                            size,
                            fill,
                            ..moved
                        },
                    );
                }
                _ => {
                    let layout = Layout::from_size_align(size, align).unwrap();
                    let at = unsafe { heap.alloc(layout) };
                    assert!(!at.is_null());
                    assert_eq!(at as usize % align, 0);
                    unsafe { at.write_bytes(fill, size) };
                    live.insert(
                        at as usize,
                        Live {
                            at,
                            size,
                            align,
                            fill,
                        },
                    );
                }
            }
            // Live blocks never overlap.
            if step % 1_000 == 0 {
                let mut end = 0;
                for (&address, block) in &live {
                    assert!(address >= end, "two live blocks overlap");
                    end = address + block.size;
                }
            }
        }
        for block in live.into_values() {
            block.check_filled(block.size);
            unsafe { heap.dealloc(block.at, block.layout()) };
        }
    }

    #[test]
    fn at_most_depth_blocks_are_kept_per_class() {
        let heap = SmallBlocks::new(System);
        let layout = Layout::from_size_align(24, 8).unwrap();
        let blocks: Vec<*mut u8> = (0..100).map(|_| unsafe { heap.alloc(layout) }).collect();
        for &b in &blocks {
            unsafe { heap.dealloc(b, layout) };
        }
        assert_eq!(heap.counts[class_of(layout).unwrap()].get(), DEPTH);
        // The kept blocks come back first, most recently freed first.
        let again = unsafe { heap.alloc(layout) };
        assert_eq!(again, blocks[DEPTH as usize - 1]);
        unsafe { heap.dealloc(again, layout) };
    }

    #[test]
    fn classes_cover_one_to_512_bytes_with_room() {
        for size in 1..=512 {
            for align in [1, 2, 4, 8, 16] {
                let layout = Layout::from_size_align(size, align).unwrap();
                let class = class_of(layout).unwrap();
                assert!(class_layout(class).size() >= size);
                assert!(class_layout(class).align() >= align);
            }
        }
        assert_eq!(class_of(Layout::from_size_align(513, 1).unwrap()), None);
        assert_eq!(class_of(Layout::from_size_align(16, 32).unwrap()), None);
    }
}
