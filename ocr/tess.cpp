#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include "tess.h"

using tesseract::TessBaseAPI;

void *tess_new(void) { return new TessBaseAPI(); }

void tess_delete(void *a) {
	TessBaseAPI *api = (TessBaseAPI *)a;
	api->End();
	delete api;
}

// Init loads the language model. Tesseract's own messages (a missing
// traineddata file) go to stderr: no file descriptor is redirected, so
// that no other thread's log line is lost meanwhile.
int tess_init(void *a, const char *lang) { return ((TessBaseAPI *)a)->Init(NULL, lang); }

int tess_set_variable(void *a, const char *name, const char *value) {
	return ((TessBaseAPI *)a)->SetVariable(name, value) ? 0 : -1;
}

void tess_set_psm(void *a, int psm) { ((TessBaseAPI *)a)->SetPageSegMode((tesseract::PageSegMode)psm); }

// A source resolution below 70 dpi (images without one) is taken as 70,
// as Tesseract itself does, silently.
static void credible_resolution(TessBaseAPI *api) {
	if (api->GetSourceYResolution() < 70) {
		api->SetSourceResolution(70);
	}
}

// tess_set_gray gives 8-bit gray pixels as they are: Tesseract copies
// them into a Pix of its own, so the caller's buffer is free on return.
// The Pix is built here row by row (Leptonica holds a row's bytes in
// 32-bit words, most significant first): TessBaseAPI's raw SetImage
// clears a Pix and sets it a byte at a time, about 2 ns a pixel, 20 ms
// of a 300 dpi page. The pixels, the zero padding of each row and the
// resolution (none) are the same.
int tess_set_gray(void *a, const unsigned char *pix, int w, int h, int stride) {
	TessBaseAPI *api = (TessBaseAPI *)a;
	Pix *p = pixCreateNoInit(w, h, 8);
	if (p == NULL) {
		return -1;
	}
	l_uint32 *data = pixGetData(p);
	int wpl = pixGetWpl(p);
	for (int y = 0; y < h; y++) {
		l_uint32 *row = data + (size_t)y * wpl;
		row[wpl - 1] = 0; // the padding after the last pixel
		memcpy(row, pix + (size_t)y * stride, w);
	}
	pixEndianByteSwap(p);
	api->SetImage(p);
	pixDestroy(&p);
	credible_resolution(api);
	return 0;
}

// tess_set_encoded decodes any format Leptonica reads.
int tess_set_encoded(void *a, const unsigned char *data, size_t n) {
	TessBaseAPI *api = (TessBaseAPI *)a;
	Pix *pix = pixReadMem(data, n);
	if (pix == NULL) {
		return -1;
	}
	api->SetImage(pix);
	pixDestroy(&pix);
	credible_resolution(api);
	return 0;
}

// tess_recognize recognises the image set and lists its words with their
// block, paragraph and line numbers, walking the results as Tesseract's
// TSV renderer does.
//
// Recognition runs on the calling thread alone. With libgomp's default
// threads a page took about 6x longer on 2 cores; OMP_THREAD_LIMIT=1 in
// the environment cures it but is read once, when libgomp loads, so it
// cannot be set from the program (setenv at Go init, in a C constructor or
// in .preinit_array all left the limit unset: measured). No active
// parallel level on this thread has the same effect, and as OpenMP keeps
// it per thread it is set here, on the thread that recognises.
int tess_recognize(void *a, tess_words *out) {
	TessBaseAPI *api = (TessBaseAPI *)a;
	omp_set_max_active_levels(0);
	out->n = 0;
	out->words = NULL;
	if (api->Recognize(NULL) != 0) {
		return -1;
	}
	tesseract::ResultIterator *it = api->GetIterator();
	if (it == NULL) {
		return 0;
	}
	int cap = 0, block = 0, par = 0, line = 0;
	while (!it->Empty(tesseract::RIL_BLOCK)) {
		if (it->Empty(tesseract::RIL_WORD)) {
			it->Next(tesseract::RIL_WORD);
			continue;
		}
		if (it->IsAtBeginningOf(tesseract::RIL_BLOCK)) {
			block++;
			par = 0;
			line = 0;
		}
		if (it->IsAtBeginningOf(tesseract::RIL_PARA)) {
			par++;
			line = 0;
		}
		if (it->IsAtBeginningOf(tesseract::RIL_TEXTLINE)) {
			line++;
		}
		if (out->n == cap) {
			cap = cap ? 2 * cap : 256;
			tess_word *grown = (tess_word *)realloc(out->words, cap * sizeof(tess_word));
			if (grown == NULL) {
				delete it;
				tess_free_words(out);
				return -1;
			}
			out->words = grown;
		}
		tess_word *w = &out->words[out->n++];
		w->text = it->GetUTF8Text(tesseract::RIL_WORD);
		w->confidence = it->Confidence(tesseract::RIL_WORD);
		it->BoundingBox(tesseract::RIL_WORD, &w->x1, &w->y1, &w->x2, &w->y2);
		w->block = block;
		w->par = par;
		w->line = line;
		it->Next(tesseract::RIL_WORD);
	}
	delete it;
	return 0;
}

void tess_free_words(tess_words *ws) {
	for (int i = 0; i < ws->n; i++) {
		delete[] ws->words[i].text;
	}
	free(ws->words);
	ws->n = 0;
	ws->words = NULL;
}
