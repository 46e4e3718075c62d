/** Files the user dropped or picked, read in the page and sent to main as Base64 (the web shell's way in). */
export async function readFilesForImport(files: readonly File[]): Promise<{ name: string; base64: string }[]> {
  return Promise.all(
    files.map(async (file) => {
      const bytes = new Uint8Array(await file.arrayBuffer());
      // In slices: String.fromCharCode with a whole large file would overflow the argument limit.
      let binary = '';
      for (let offset = 0; offset < bytes.length; offset += 0x8000) {
        binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
      }
      return { name: file.name, base64: btoa(binary) };
    }),
  );
}
