//! HMAC-SHA256 with the key's inner and outer states precomputed as 32 bytes each.
//!
//! Why not the `hmac` crate's `Hmac<Sha256>`, keyed once and cloned per message: the signer writes
//! two short pieces per field, and each `update` of the crate goes through its generic block
//! buffer; measured in the same runs, signing through it missed the signing targets (at most the
//! naive HMAC's time, five times the SDK-style signer's speed) that this module meets
//! (BENCHMARKS.md, session 6). The compression is `sha2`'s (SHA-NI where the CPU has it); this
//! module only keeps a block buffer and the padding, and gives the `hmac` crate's bytes for every
//! key and message length and split tried by its tests (and by the property tests of the suite).

use sha2::block_api::compress256;

const IV: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// The states after hashing `key ^ ipad` and `key ^ opad`: all an HMAC needs from the key.
#[derive(Clone)]
pub(crate) struct KeyStates {
    inner: [u32; 8],
    outer: [u32; 8],
}

impl KeyStates {
    pub(crate) fn new(key: &[u8]) -> KeyStates {
        let mut block = [0u8; 64];
        if key.len() > 64 {
            let mut s = Sha256Stream::from_iv();
            s.write(key);
            block[..32].copy_from_slice(&s.finish());
        } else {
            block[..key.len()].copy_from_slice(key);
        }
        let mut inner = IV;
        let mut outer = IV;
        compress256(&mut inner, &[block.map(|b| b ^ 0x36)]);
        compress256(&mut outer, &[block.map(|b| b ^ 0x5c)]);
        KeyStates { inner, outer }
    }

    /// A MAC in progress.
    #[inline(always)]
    pub(crate) fn start(&self) -> Mac<'_> {
        Mac {
            key: self,
            // The key block is already in the inner state.
            inner: Sha256Stream::from_state(self.inner, 1),
        }
    }
}

/// An HMAC-SHA256 in progress.
pub(crate) struct Mac<'k> {
    key: &'k KeyStates,
    inner: Sha256Stream,
}

impl Mac<'_> {
    #[inline(always)]
    pub(crate) fn update(&mut self, data: &[u8]) {
        self.inner.write(data);
    }

    /// By reference, as is the stream's: see `Signer::finish`.
    pub(crate) fn finish(&mut self) -> [u8; 32] {
        let inner = self.inner.finish();
        // The outer hash is always one block: the key block is in the outer state, then the
        // 32-byte inner digest, the padding and the length (64 + 32 bytes, in bits).
        let mut block = [0u8; 64];
        block[..32].copy_from_slice(&inner);
        block[32] = 0x80;
        block[56..].copy_from_slice(&((64u64 + 32) * 8).to_be_bytes());
        let mut state = self.key.outer;
        compress256(&mut state, std::slice::from_ref(&block));
        digest(state)
    }
}

fn digest(state: [u32; 8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (chunk, word) in out.chunks_exact_mut(4).zip(state) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

/// Bytes buffered before compressing: four blocks. Signing writes many short pieces, and each
/// call into the compression function has a fixed cost (state in, state out), which one block
/// buffered paid for every block of a long message (BENCHMARKS.md, session 2).
const BUF: usize = 4 * 64;

/// SHA-256 from a given state: a buffer of whole blocks, and the number of blocks compressed so
/// far for the padding's length.
///
/// `repr(C)` with the buffer last: in Rust's own layout the state and the buffer were adjacent,
/// and building a stream zeroed a temporary and copied all 288 bytes into place (a `memcpy` per
/// signature); this way the buffer is zeroed where it lives.
#[repr(C)]
struct Sha256Stream {
    state: [u32; 8],
    pos: usize,
    blocks: u64,
    buf: [u8; BUF],
}

impl Sha256Stream {
    fn from_iv() -> Sha256Stream {
        Sha256Stream::from_state(IV, 0)
    }

    #[inline(always)]
    fn from_state(state: [u32; 8], blocks: u64) -> Sha256Stream {
        Sha256Stream {
            state,
            buf: [0; BUF],
            pos: 0,
            blocks,
        }
    }

    /// Inlined into the signer: it writes many short pieces (`&name=`, then the value), and most
    /// fit in the buffer.
    #[inline(always)]
    fn write(&mut self, data: &[u8]) {
        let end = self.pos + data.len();
        if end < BUF && data.len() < 64 {
            copy_short(&mut self.buf[self.pos..end], data);
            self.pos = end;
            return;
        }
        self.write_long(data);
    }

    fn write_long(&mut self, mut data: &[u8]) {
        let room = BUF - self.pos;
        if data.len() < room {
            copy_medium(&mut self.buf[self.pos..self.pos + data.len()], data);
            self.pos += data.len();
            return;
        }
        // Fill the buffer and compress it whole, then the whole blocks of the rest straight from
        // `data`, and keep what is left.
        self.buf[self.pos..].copy_from_slice(&data[..room]);
        data = &data[room..];
        self.compress_buffered(BUF);
        let (blocks, rest) = data.as_chunks::<64>();
        if !blocks.is_empty() {
            compress256(&mut self.state, blocks);
            self.blocks += blocks.len() as u64;
        }
        copy_short(&mut self.buf[..rest.len()], rest);
        self.pos = rest.len();
    }

    /// Compresses the first `len` buffered bytes, a multiple of 64.
    fn compress_buffered(&mut self, len: usize) {
        let (blocks, _) = self.buf[..len].as_chunks::<64>();
        if !blocks.is_empty() {
            compress256(&mut self.state, blocks);
            self.blocks += blocks.len() as u64;
        }
    }

    /// Pads and hashes what is buffered; the stream is spent afterwards.
    fn finish(&mut self) -> [u8; 32] {
        let bits = (self.blocks * 64 + self.pos as u64).wrapping_mul(8);
        // The padding (`0x80`, zeros, the length) fills the last partial block, or that and one
        // more. When that fits in the buffer, everything buffered goes to the compression
        // function in one call rather than two.
        let end = (self.pos + 9).div_ceil(64) * 64;
        if end <= BUF {
            let pad = &mut self.buf[self.pos..end];
            pad.fill(0);
            pad[0] = 0x80;
            self.buf[end - 8..end].copy_from_slice(&bits.to_be_bytes());
            self.compress_buffered(end);
            return digest(self.state);
        }
        // Otherwise the whole blocks buffered, then the last partial one padded apart.
        let whole = self.pos / 64 * 64;
        self.compress_buffered(whole);
        let tail = self.pos - whole;
        let mut last = [[0u8; 64]; 2];
        // Fixed-size moves: the tail's length varies, which would be a `memcpy` call.
        copy_short(&mut last[0][..tail], &self.buf[whole..self.pos]);
        last[0][tail] = 0x80;
        let n = if tail >= 56 { 2 } else { 1 };
        last[n - 1][56..].copy_from_slice(&bits.to_be_bytes());
        compress256(&mut self.state, &last[..n]);
        digest(self.state)
    }
}

/// Copies `src` (shorter than a block) into `dst` of the same length with fixed-size moves that
/// overlap in the middle, the way `memcpy` does internally, but inlined: a call to `memmove` per
/// piece of a few bytes was the largest cost after the hash. The moves are integer loads and
/// stores below 16 bytes: written as slice copies, LLVM merged the 4- and 8-byte cases' second
/// copies into one `memcpy` call of variable size (BENCHMARKS.md, sessions 2 and 4).
#[inline(always)]
fn copy_short(dst: &mut [u8], src: &[u8]) {
    let n = src.len();
    debug_assert!(dst.len() == n && n < 64);
    if n >= 16 {
        if n >= 32 {
            dst[..32].copy_from_slice(&src[..32]);
            dst[n - 32..].copy_from_slice(&src[n - 32..]);
        } else {
            dst[..16].copy_from_slice(&src[..16]);
            dst[n - 16..].copy_from_slice(&src[n - 16..]);
        }
    } else if n >= 4 {
        if n >= 8 {
            let (head, tail) = (load::<8>(src, 0), load::<8>(src, n - 8));
            let (head, tail) = (u64::from_ne_bytes(head), u64::from_ne_bytes(tail));
            dst[..8].copy_from_slice(&head.to_ne_bytes());
            dst[n - 8..].copy_from_slice(&tail.to_ne_bytes());
        } else {
            let (head, tail) = (load::<4>(src, 0), load::<4>(src, n - 4));
            let (head, tail) = (u32::from_ne_bytes(head), u32::from_ne_bytes(tail));
            dst[..4].copy_from_slice(&head.to_ne_bytes());
            dst[n - 4..].copy_from_slice(&tail.to_ne_bytes());
        }
    } else if n > 0 {
        dst[0] = src[0];
        dst[n / 2] = src[n / 2];
        dst[n - 1] = src[n - 1];
    }
}

/// Copies `src` (64 bytes up to a buffer's length) into `dst` of the same length in 32-byte
/// moves, the last one overlapping, instead of a `memcpy` call per value.
fn copy_medium(dst: &mut [u8], src: &[u8]) {
    let n = src.len();
    debug_assert!(dst.len() == n && n >= 32);
    let mut at = 0;
    while at + 32 <= n {
        store32(dst, at, load::<32>(src, at));
        at += 32;
    }
    if at < n {
        store32(dst, n - 32, load::<32>(src, n - 32));
    }
}

#[inline(always)]
fn store32(dst: &mut [u8], at: usize, bytes: [u8; 32]) {
    dst[at..at + 32].copy_from_slice(&bytes);
}

/// `N` bytes of `src` from `at`, as an array (one load).
#[inline(always)]
fn load<const N: usize>(src: &[u8], at: usize) -> [u8; N] {
    let mut a = [0; N];
    a.copy_from_slice(&src[at..at + N]);
    a
}

#[cfg(test)]
mod tests {
    use super::*;
    use hmac::{KeyInit, Mac as _};

    fn reference(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
        for p in parts {
            mac.update(p);
        }
        mac.finalize().into_bytes().into()
    }

    #[test]
    fn short_copies_of_every_length() {
        let src: Vec<u8> = (1..=63).collect();
        for n in 0..64 {
            let mut dst = [0u8; 64];
            copy_short(&mut dst[..n], &src[..n]);
            assert_eq!(&dst[..n], &src[..n], "length {n}");
            assert!(dst[n..].iter().all(|&b| b == 0), "length {n}");
        }
        let src: Vec<u8> = (0..BUF).map(|i| (i % 251 + 1) as u8).collect();
        for n in 32..BUF {
            let mut dst = [0u8; BUF + 1];
            copy_medium(&mut dst[..n], &src[..n]);
            assert_eq!(&dst[..n], &src[..n], "length {n}");
            assert!(dst[n..].iter().all(|&b| b == 0), "length {n}");
        }
    }

    /// 5000 pseudo-random keys (0-200 bytes) and messages (0-1300 bytes, every byte value), each
    /// written in random pieces as the signer writes them: the same bytes as the `hmac` crate.
    #[test]
    fn equals_the_hmac_crate_for_random_keys_messages_and_pieces() {
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move |below: usize| {
            // xorshift64*
            seed ^= seed >> 12;
            seed ^= seed << 25;
            seed ^= seed >> 27;
            (seed.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % below
        };
        for case in 0..5000 {
            let key: Vec<u8> = (0..next(201)).map(|_| next(256) as u8).collect();
            let msg: Vec<u8> = (0..next(1301)).map(|_| next(256) as u8).collect();
            let states = KeyStates::new(&key);
            let mut mac = states.start();
            let mut rest = &msg[..];
            while !rest.is_empty() {
                // Mostly short pieces, as `&name=` and values are, and now and then a long one.
                let n = if next(8) == 0 { next(400) } else { next(40) }.min(rest.len());
                mac.update(&rest[..n]);
                rest = &rest[n..];
            }
            assert_eq!(
                mac.finish(),
                reference(&key, &[&msg]),
                "case {case}: key {} bytes, message {} bytes",
                key.len(),
                msg.len()
            );
        }
    }

    #[test]
    fn equals_the_hmac_crate_for_every_length_and_split() {
        let data: Vec<u8> = (0..800u32).map(|i| (i * 7 + 3) as u8).collect();
        for key_len in [0, 1, 9, 32, 63, 64, 65, 100, 200] {
            let key = &data[..key_len];
            let states = KeyStates::new(key);
            // Past the four-block buffer and its edges, whole and in pieces.
            for len in (0..=300).chain([511, 512, 513, 600, 700]) {
                let msg = &data[50..50 + len];
                let mut mac = states.start();
                mac.update(msg);
                assert_eq!(
                    mac.finish(),
                    reference(key, &[msg]),
                    "key {key_len}, len {len}"
                );
                // Split into uneven pieces, as the signer writes `&`, name, `=`, value.
                let mut mac = states.start();
                let mut rest = msg;
                let mut step = 1;
                while !rest.is_empty() {
                    let n = step.min(rest.len());
                    mac.update(&rest[..n]);
                    rest = &rest[n..];
                    step = step * 3 % 140 + 1;
                }
                assert_eq!(
                    mac.finish(),
                    reference(key, &[msg]),
                    "split, key {key_len}, len {len}"
                );
            }
        }
    }
}
