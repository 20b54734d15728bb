// The touch screen's fingers (kiosk/README.md, "Input"): XInput 2.2 touch events, shaped as an
// X server sends them for a touch screen, decoded by the window's touch reader
// (engine/render/src/x11_touch.h) into touch slots, read by the kiosk into its pointer and second
// finger, and a pinch of them zooming the open book (book_zoom). No X server: Xvfb has no touch
// device and XTest cannot make touches, so the events are built here as the server would send them.
#include "exhibits/book/book_zoom.h"
#include "pavilion/render/view.h"
#include "touch/controls.h"

#include <glm/gtc/matrix_transform.hpp>
#include <gtest/gtest.h>

#include <vector>

// Last: X11's macros (None, Bool, Status…) must not meet the headers above.
#include "x11_touch.h"

namespace pavilion::kiosk {
namespace {

using render::TouchPoint;
using render::TouchSlots;

constexpr int master_pointer = 2;  // "Virtual core pointer": touch events come through it
constexpr int touch_screen = 11;   // the slave device the finger is on

// A touch event as XNextEvent + XGetEventData give it for a finger at (x, y) of the window.
XIDeviceEvent touch_event(int type, unsigned int touch, double x, double y, int source = touch_screen, int flags = 0) {
  XIDeviceEvent event{};
  event.type = GenericEvent;
  event.evtype = type;
  event.deviceid = master_pointer;
  event.sourceid = source;
  event.detail = static_cast<int>(touch);
  event.event_x = x;
  event.event_y = y;
  event.root_x = x + 100;  // the window is not at the root's origin: only window coordinates count
  event.root_y = y + 40;
  event.flags = flags;
  return event;
}

// One poll of the window: the events that arrived since the previous one.
void poll(TouchSlots& slots, const std::vector<XIDeviceEvent>& events, double scale = 1.0) {
  slots.begin_poll();
  for (const XIDeviceEvent& event : events) slots.take(event, scale);
}

void expect_finger(const TouchPoint& point, double x, double y, bool down) {
  EXPECT_TRUE(point.present);
  EXPECT_EQ(point.down, down);
  EXPECT_DOUBLE_EQ(point.x, x);
  EXPECT_DOUBLE_EQ(point.y, y);
}

TEST(KioskTouchScreen, EachFingerKeepsItsSlotFromTouchingToTheFrameAfterItLifts) {
  TouchSlots slots;
  poll(slots, {touch_event(XI_TouchBegin, 40, 100, 50), touch_event(XI_TouchBegin, 41, 300, 60)});
  expect_finger(slots.points()[0], 100, 50, true);
  expect_finger(slots.points()[1], 300, 60, true);
  EXPECT_FALSE(slots.points()[2].present);

  // The first finger lifts while the second moves: the second stays in slot 1.
  poll(slots, {touch_event(XI_TouchUpdate, 41, 320, 64), touch_event(XI_TouchEnd, 40, 104, 52)});
  expect_finger(slots.points()[0], 104, 52, false);  // lifted, where it lifted: a release there
  expect_finger(slots.points()[1], 320, 64, true);

  // The next poll it is gone; a new finger takes the lowest free slot, 0, not the second's.
  poll(slots, {});
  EXPECT_FALSE(slots.points()[0].present);
  expect_finger(slots.points()[1], 320, 64, true);
  poll(slots, {touch_event(XI_TouchBegin, 42, 10, 20)});
  expect_finger(slots.points()[0], 10, 20, true);
  expect_finger(slots.points()[1], 320, 64, true);
}

TEST(KioskTouchScreen, WindowCoordinatesBecomeFramebufferPixels) {
  TouchSlots slots;
  poll(slots, {touch_event(XI_TouchBegin, 7, 100.5, 50.25)}, 2.0);
  expect_finger(slots.points()[0], 201, 100.5, true);
}

TEST(KioskTouchScreen, ATapBetweenTwoPollsShowsDownOnceThenLifted) {
  TouchSlots slots;
  poll(slots, {touch_event(XI_TouchBegin, 5, 30, 40), touch_event(XI_TouchEnd, 5, 31, 40)});
  expect_finger(slots.points()[0], 31, 40, true);
  poll(slots, {});
  expect_finger(slots.points()[0], 31, 40, false);
  poll(slots, {});
  EXPECT_FALSE(slots.points()[0].present);
}

// A grab above the window (a gesture daemon's) decides whose the touch is: the finger off the
// screen comes as a TouchUpdate flagged pending end, its TouchEnd later, and it is lifted once.
TEST(KioskTouchScreen, AFingerWhoseEndWaitsOnOwnershipLiftsOnceAndItsLateEndChangesNothing) {
  TouchSlots slots;
  poll(slots, {touch_event(XI_TouchBegin, 9, 50, 50)});
  poll(slots, {touch_event(XI_TouchUpdate, 9, 55, 50, touch_screen, XITouchPendingEnd)});
  expect_finger(slots.points()[0], 55, 50, false);
  poll(slots, {touch_event(XI_TouchBegin, 10, 200, 100)});  // a new finger in the freed slot
  poll(slots, {touch_event(XI_TouchEnd, 9, 55, 50)});
  expect_finger(slots.points()[0], 200, 100, true);
}

TEST(KioskTouchScreen, TouchIdsAreTheirDevicesAndTooManyFingersAreNotFollowed) {
  TouchSlots slots;
  // The same id on a second touch screen is another finger.
  poll(slots, {touch_event(XI_TouchBegin, 3, 10, 10), touch_event(XI_TouchBegin, 3, 90, 90, touch_screen + 1)});
  expect_finger(slots.points()[0], 10, 10, true);
  expect_finger(slots.points()[1], 90, 90, true);
  poll(slots, {touch_event(XI_TouchEnd, 3, 92, 90, touch_screen + 1)});
  expect_finger(slots.points()[0], 10, 10, true);
  expect_finger(slots.points()[1], 92, 90, false);

  std::vector<XIDeviceEvent> crowd;
  for (unsigned int touch = 100; touch < 100 + render::max_touch_points + 2; ++touch) {
    crowd.push_back(touch_event(XI_TouchBegin, touch, touch, 5));
  }
  poll(slots, crowd);
  poll(slots, {touch_event(XI_TouchUpdate, 100 + render::max_touch_points + 1, 1, 1)});  // not followed: ignored
  size_t down = 0;
  for (const TouchPoint& point : slots.points()) down += point.down ? 1 : 0;
  EXPECT_EQ(down, render::max_touch_points);
  expect_finger(slots.points()[0], 10, 10, true);
  // Not touches: a motion event moves nothing.
  poll(slots, {touch_event(XI_Motion, 3, 500, 500)});
  expect_finger(slots.points()[0], 10, 10, true);
}

render::WindowInput window_input(const TouchSlots& slots, double mouse_x = 0, double mouse_y = 0, bool button = false) {
  render::WindowInput input;
  input.cursor_x = mouse_x;
  input.cursor_y = mouse_y;
  input.primary_button = button;
  input.touch_reader = true;
  input.touches = slots.points();
  return input;
}

// The kiosk's pointer is slot 0's finger and its second finger slot 1's; the mouse is ignored
// while a finger touches, and shows again only once it moves.
TEST(KioskTouchScreen, TheKiosksPointerAndSecondFingerAreTheFirstTwoSlots) {
  TouchSlots slots;
  TouchControls touch;
  touch.read_window(window_input(slots, 5, 5));
  EXPECT_TRUE(touch.pointer.present);  // no touch yet: the mouse
  EXPECT_FLOAT_EQ(touch.pointer.x, 5);

  poll(slots, {touch_event(XI_TouchBegin, 1, 100, 80), touch_event(XI_TouchBegin, 2, 180, 90)});
  touch.read_window(window_input(slots, 5, 5, /*button=*/true));
  EXPECT_TRUE(touch.pointer.present && touch.pointer.down);
  EXPECT_FLOAT_EQ(touch.pointer.x, 100);
  EXPECT_TRUE(touch.second_finger.present && touch.second_finger.down);
  EXPECT_FLOAT_EQ(touch.second_finger.x, 180);

  // The first finger lifts: the pointer is released where it lifted (ImGui's click lands there),
  // then shows nowhere; the second finger keeps its place.
  poll(slots, {touch_event(XI_TouchEnd, 1, 102, 80)});
  touch.read_window(window_input(slots, 5, 5));
  EXPECT_TRUE(touch.pointer.present);
  EXPECT_FALSE(touch.pointer.down);
  EXPECT_FLOAT_EQ(touch.pointer.x, 102);
  EXPECT_TRUE(touch.second_finger.down);
  poll(slots, {});
  touch.read_window(window_input(slots, 5, 5));
  EXPECT_FALSE(touch.pointer.present);
  EXPECT_TRUE(touch.second_finger.down);
  // A pinch that lost its first finger pans with the other.
  const BookFingers fingers = fingers_on_screen(touch, true);
  ASSERT_TRUE(fingers.first.has_value());
  EXPECT_FLOAT_EQ(fingers.first->x, 180);
  EXPECT_FALSE(fingers.second.has_value());

  poll(slots, {touch_event(XI_TouchEnd, 2, 180, 90)});
  touch.read_window(window_input(slots, 5, 5));
  EXPECT_FALSE(touch.second_finger.present);
  poll(slots, {});
  touch.read_window(window_input(slots, 5, 5));
  EXPECT_FALSE(touch.pointer.present) << "no hover lingers at the mouse while it has not moved";
  touch.read_window(window_input(slots, 6, 5));
  EXPECT_TRUE(touch.pointer.present);
  EXPECT_FLOAT_EQ(touch.pointer.x, 6);
}

// Two fingers 40 pixels apart about the middle of the opening spread to 120 over a third of a
// second, as a touch screen reports them: through the reader's slots and the kiosk's fingers the
// book's zoom follows, three times larger about the point between them. The same motion as the
// mouse (what GLFW would give without the reader) zooms nothing: one pointer cannot pinch.
TEST(KioskTouchScreen, APinchOfRealTouchEventsZoomsTheBook) {
  const glm::vec2 screen(640, 360);
  const render::View view = render::look_at_view({0, 0, 0.6f}, {0, 0, 0}, render::symmetric_field_of_view(glm::radians(60.0f), screen.x / screen.y));
  const glm::mat4 book_to_world(1.0f);
  const glm::mat4 book_to_clip = view.projection * view.view * book_to_world;
  const auto lay_out = [&](BookZoom& zoom) {
    zoom.begin_layout();
    static_cast<void>(zoom.place(book_to_world, {-0.15f, 0}, {0.3f, 0.4f}, 8000));
    static_cast<void>(zoom.place(book_to_world, {0.15f, 0}, {0.3f, 0.4f}, 8000));
  };
  const glm::vec2 centre(300, 170);

  const auto pinch = [&](bool through_reader) {
    BookZoom zoom;
    lay_out(zoom);
    TouchSlots slots;
    TouchControls touch;
    double now = 0;
    const auto frame = [&](const std::vector<XIDeviceEvent>& events) {
      poll(slots, events);
      render::WindowInput input = window_input(slots, centre.x, centre.y, !events.empty() && events.back().evtype != XI_TouchEnd);
      if (!through_reader) {
        input.touches = {};
        input.touch_reader = false;
      }
      touch.read_window(input);
      zoom.follow(fingers_on_screen(touch, true), book_to_clip, screen, now);
      zoom.advance(1.0 / 30, false);
      if (zoom.take_moved()) lay_out(zoom);
      now += 1.0 / 30;
    };
    frame({touch_event(XI_TouchBegin, 21, centre.x - 20, centre.y), touch_event(XI_TouchBegin, 22, centre.x + 20, centre.y)});
    for (int step = 1; step <= 10; ++step) {
      const float half = 20.0f + 4.0f * static_cast<float>(step);
      frame({touch_event(XI_TouchUpdate, 21, centre.x - half, centre.y), touch_event(XI_TouchUpdate, 22, centre.x + half, centre.y)});
    }
    frame({touch_event(XI_TouchEnd, 21, centre.x - 60, centre.y), touch_event(XI_TouchEnd, 22, centre.x + 60, centre.y)});
    frame({});
    return zoom.magnification();
  };
  EXPECT_NEAR(pinch(/*through_reader=*/true), 3.0f, 0.01f);
  EXPECT_FLOAT_EQ(pinch(/*through_reader=*/false), 1.0f);
}

}  // namespace
}  // namespace pavilion::kiosk
