//! Reading and writing the little-endian binary model files (the use model and the abuse
//! model): a bounds-checked reader whose every failure is a typed [`Error::Model`] naming the
//! file and the byte, and the writer's LEB128 gaps.

use crate::Error;

/// A cursor over a model file's bytes.
pub(crate) struct Reader<'a> {
    b: &'a [u8],
    pub(crate) pos: usize,
    /// What the file is, for error messages ("use model", "abuse model").
    what: &'static str,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(b: &'a [u8], what: &'static str) -> Self {
        Self { b, pos: 0, what }
    }
    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|e| *e <= self.b.len())
            .ok_or_else(|| {
                Error::Model(format!(
                    "truncated {} at byte {} (wanted {n} more)",
                    self.what, self.pos
                ))
            })?;
        let s = &self.b[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    pub(crate) fn arr<const N: usize>(&mut self) -> Result<[u8; N], Error> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }
    pub(crate) fn u8(&mut self) -> Result<u8, Error> {
        Ok(self.arr::<1>()?[0])
    }
    pub(crate) fn u16(&mut self) -> Result<u16, Error> {
        Ok(u16::from_le_bytes(self.arr()?))
    }
    pub(crate) fn u32(&mut self) -> Result<u32, Error> {
        Ok(u32::from_le_bytes(self.arr()?))
    }
    pub(crate) fn u64(&mut self) -> Result<u64, Error> {
        Ok(u64::from_le_bytes(self.arr()?))
    }
    pub(crate) fn i8(&mut self) -> Result<i8, Error> {
        Ok(self.u8()? as i8)
    }
    pub(crate) fn f32(&mut self) -> Result<f32, Error> {
        let v = f32::from_le_bytes(self.arr()?);
        if v.is_finite() {
            Ok(v)
        } else {
            Err(Error::Model(format!(
                "non-finite number at byte {} of the {}",
                self.pos - 4,
                self.what
            )))
        }
    }
    /// An unsigned LEB128 number of at most 32 bits.
    pub(crate) fn leb128(&mut self) -> Result<u32, Error> {
        let mut v: u64 = 0;
        for shift in (0..35).step_by(7) {
            let b = self.u8()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return u32::try_from(v).map_err(|_| Error::Model("bucket gap overflows".into()));
            }
        }
        Err(Error::Model("bucket gap too long".into()))
    }
    /// A `u8` length and that many bytes of UTF-8.
    pub(crate) fn str(&mut self) -> Result<&'a str, Error> {
        let n = self.u8()? as usize;
        std::str::from_utf8(self.take(n)?).map_err(|_| Error::Model("name is not UTF-8".into()))
    }
}

/// Append `v` as unsigned LEB128.
pub(crate) fn put_leb128(out: &mut Vec<u8>, mut v: u32) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leb128_round_trips_and_errors_are_typed() {
        let mut v = Vec::new();
        put_leb128(&mut v, 300);
        assert_eq!(v, [0xac, 0x02]);
        let mut r = Reader::new(&v, "use model");
        assert_eq!(r.leb128().unwrap(), 300);
        assert!(matches!(r.u8(), Err(Error::Model(m)) if m.contains("truncated use model")));
    }
}
